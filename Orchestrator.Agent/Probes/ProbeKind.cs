namespace Orchestrator.Agent.Probes;

/// <summary>The three probes a container may have; the kubelet names them this way in its events.</summary>
public enum ProbeKind
{
    Startup,
    Liveness,
    Readiness,
}
