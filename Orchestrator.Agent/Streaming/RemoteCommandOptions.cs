using Microsoft.AspNetCore.Http;

namespace Orchestrator.Agent.Streaming;

/// <summary>The streams a client asked for on exec/attach (<c>stdin</c>, <c>stdout</c>, <c>stderr</c>, <c>tty</c> query flags).</summary>
public sealed record RemoteCommandOptions(bool Stdin, bool Stdout, bool Stderr, bool Tty)
{
    public static RemoteCommandOptions FromQuery(IQueryCollection q) => new(
        ContainerLogsHandler.Flag(q["stdin"]), ContainerLogsHandler.Flag(q["stdout"]),
        ContainerLogsHandler.Flag(q["stderr"]), ContainerLogsHandler.Flag(q["tty"]));
}
