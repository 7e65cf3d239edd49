namespace Orchestrator.Agent.Network.Programming;

/// <summary>What a program run ended with.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>One line for logs: the exit code and the first line of stderr.</summary>
    public string Describe()
    {
        var error = StandardError.Trim();
        var first = error.Split('\n', 2)[0];
        return $"exit code {ExitCode}{(first.Length > 0 ? ": " + first : "")}";
    }
}
