namespace Orchestrator.Agent.Network.Programming;

/// <summary>
/// Runs one program (<c>ip</c>, <c>iptables</c>) with arguments and optional standard input. The seam between the
/// network programmer and the kernel: unit tests record the commands, namespace tests prefix <c>ip -n NS</c>.
/// </summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, CancellationToken ct);
}
