namespace Orchestrator.Agent.Probes;

/// <summary>
/// One finished probe run of one container, as <see cref="IProbeManager.Probed"/> reports it. <paramref name="At"/> is
/// when the run started (by the manager's clock).
/// </summary>
public sealed record ProbeReport(ContainerProbeTarget Target, ProbeKind Kind, ProbeResult Result, DateTimeOffset At)
{
    /// <summary>
    /// The kubelet's event message for this run, null when it passed cleanly: <c>Liveness probe failed: …</c> (event
    /// reason <c>Unhealthy</c>, type Warning), <c>Readiness probe errored: …</c> (also <c>Unhealthy</c>), or
    /// <c>Readiness probe warning: …</c> (reason <c>ProbeWarning</c>).
    /// </summary>
    public string? EventMessage => Result.Outcome switch
    {
        ProbeOutcome.Failure => $"{Kind} probe failed: {Result.Output}",
        ProbeOutcome.Error => $"{Kind} probe errored: {Result.Output}",
        ProbeOutcome.Warning => $"{Kind} probe warning: {Result.Output}",
        _ => null,
    };
}
