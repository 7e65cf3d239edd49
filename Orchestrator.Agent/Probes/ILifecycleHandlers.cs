namespace Orchestrator.Agent.Probes;

/// <summary>The container lifecycle hooks: postStart and preStop, each exec or httpGet (or sleep).</summary>
public interface ILifecycleHandlers
{
    /// <summary>
    /// Runs the container's <c>lifecycle.postStart</c> handler, if any. Null when it succeeded or there is none;
    /// otherwise the failure message (the pod worker then kills the container, reason FailedPostStartHook).
    /// </summary>
    Task<string?> RunPostStartAsync(ContainerProbeTarget target, CancellationToken ct);

    /// <summary>
    /// Runs the container's <c>lifecycle.preStop</c> handler, if any, before the stop signal; bounded by
    /// <paramref name="ct"/> (the grace period). Failures are logged, never thrown: termination goes on.
    /// </summary>
    Task RunPreStopAsync(ContainerProbeTarget target, CancellationToken ct);
}
