using Orchestrator.Agent.Network.Programming;

namespace Orchestrator.Tests.Agent.Network.Programming;

/// <summary>Passes every call on and counts the <c>ip -batch</c> runs (one per application that changed something).</summary>
internal sealed class CountingCommandRunner(ICommandRunner inner) : ICommandRunner
{
    private int _batches;

    public int Batches => Volatile.Read(ref _batches);

    public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, CancellationToken ct)
    {
        if (arguments.Contains("-batch")) Interlocked.Increment(ref _batches);
        return inner.RunAsync(program, arguments, standardInput, ct);
    }
}
