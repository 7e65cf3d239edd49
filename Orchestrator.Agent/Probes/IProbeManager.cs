namespace Orchestrator.Agent.Probes;

/// <summary>
/// Runs the liveness, readiness and startup probes of every running container of the node, each on its own timer
/// with the probe's initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold and failureThreshold.
/// Liveness and readiness wait for the startup probe to succeed. Results are kept per Docker container id.
/// </summary>
public interface IProbeManager
{
    /// <summary>Starts probing the container (idempotent: a second call for the same id does nothing).</summary>
    void Track(ContainerProbeTarget target);

    /// <summary>Stops probing a container that exited or was removed.</summary>
    void Untrack(string containerId);

    /// <summary>Readiness: true without a readinessProbe once started; false until the probe has succeeded.</summary>
    bool IsReady(string containerId);

    /// <summary>Startup: true without a startupProbe; false until the startup probe has succeeded.</summary>
    bool IsStarted(string containerId);

    /// <summary>
    /// The kubelet-style message of the container's latest failed probe run (<c>Readiness probe failed: HTTP probe
    /// failed with statuscode: 503</c>), or null when it has none or a later run of that probe passed. For the Ready
    /// condition's message.
    /// </summary>
    string? LastFailureMessage(string containerId);

    /// <summary>
    /// Raised (on a pool thread) when a container's readiness or started state changes, with the pod's uid, so the
    /// pod worker rewrites the status at once instead of at its next sync.
    /// </summary>
    event Action<string>? Changed;

    /// <summary>
    /// Raised when a liveness or startup probe has failed failureThreshold times in a row: the pod worker kills the
    /// container (with its grace period) and restart policy and back-off take over. The string is the kubelet's
    /// message (e.g. <c>Liveness probe failed: HTTP probe failed with statuscode: 500</c>).
    /// </summary>
    event Action<ContainerProbeTarget, string>? Unhealthy;

    /// <summary>
    /// Raised after every probe run, passed or not. The kubelet records a Warning event for each failed run (reason
    /// <c>Unhealthy</c>, message <see cref="ProbeReport.EventMessage"/>), which is what <c>kubectl describe pod</c>
    /// shows for a failing readiness probe; the pod worker may do the same. Raised after the run's
    /// <see cref="Changed"/> and <see cref="Unhealthy"/>.
    /// </summary>
    event Action<ProbeReport>? Probed;
}
