using Orchestrator.Agent.Probes;

namespace Orchestrator.Tests.Agent.Pods.Doubles;

/// <summary>Hooks that always succeed and count their calls.</summary>
internal sealed class NoLifecycleHandlers : ILifecycleHandlers
{
    public int PreStops;

    public Task<string?> RunPostStartAsync(ContainerProbeTarget target, CancellationToken ct) => Task.FromResult<string?>(null);

    public Task RunPreStopAsync(ContainerProbeTarget target, CancellationToken ct)
    {
        Interlocked.Increment(ref PreStops);
        return Task.CompletedTask;
    }
}
