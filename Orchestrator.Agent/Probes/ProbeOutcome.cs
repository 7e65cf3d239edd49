namespace Orchestrator.Agent.Probes;

/// <summary>
/// What one probe run found, as the kubelet's prober tells them apart:
/// <list type="bullet">
/// <item><see cref="Success"/>;</item>
/// <item><see cref="Warning"/>: an HTTP probe stopped at a redirect to another host; counts as a success;</item>
/// <item><see cref="Failure"/>: counts toward failureThreshold;</item>
/// <item><see cref="Error"/>: the probe could not be run at all (a port name the container does not declare, no pod
/// IP yet, Docker refusing the exec); the kubelet throws such a result away, so it changes no counter.</item>
/// </list>
/// </summary>
public enum ProbeOutcome
{
    Success,
    Warning,
    Failure,
    Error,
}
