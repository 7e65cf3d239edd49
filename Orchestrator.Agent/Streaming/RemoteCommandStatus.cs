using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Agent.Streaming;

/// <summary>The channel-3 Status that ends an exec or attach: kubectl turns NonZeroExitCode into its own exit code.</summary>
public static class RemoteCommandStatus
{
    public static JsonObject Success() => new() { ["metadata"] = new JsonObject(), ["status"] = "Success" };

    public static JsonObject ForExitCode(int exitCode, IReadOnlyList<string> command)
    {
        if (exitCode == 0) return Success();
        var code = exitCode.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {code}",
            ["reason"] = "NonZeroExitCode",
            ["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = code }),
            },
        };
    }

    public static JsonObject InternalError(string message) => new()
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = "InternalError",
        ["code"] = 500,
    };
}
