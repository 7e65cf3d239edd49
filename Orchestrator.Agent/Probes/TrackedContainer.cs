namespace Orchestrator.Agent.Probes;

/// <summary>
/// The probe state of one tracked container, guarded by <see cref="ProbeManager"/>'s lock:
/// <list type="bullet">
/// <item><see cref="Started"/>: true from the start without a startup probe, otherwise once it settled on success;</item>
/// <item><see cref="ReadinessPassed"/>: the settled readiness result (starts false, like the kubelet's initial
/// readiness value); without a readiness probe the container is ready as soon as it is started;</item>
/// <item>the last failure message per probe kind, cleared when a later run of that probe passes.</item>
/// </list>
/// </summary>
internal sealed class TrackedContainer(ContainerProbeTarget target)
{
    public ContainerProbeTarget Target { get; } = target;
    public ProbeSettings? Startup { get; } = ProbeSettings.For(target.Container, ProbeKind.Startup);
    public ProbeSettings? Liveness { get; } = ProbeSettings.For(target.Container, ProbeKind.Liveness);
    public ProbeSettings? Readiness { get; } = ProbeSettings.For(target.Container, ProbeKind.Readiness);

    public List<ProbeWorker> Workers { get; } = [];
    public Dictionary<ProbeKind, (string Message, DateTimeOffset At)> LastFailures { get; } = [];

    public bool Started { get; set; }
    public bool ReadinessPassed { get; set; }
    public bool Untracked { get; set; }

    public bool Ready => Started && (Readiness is null || ReadinessPassed);

    public (bool Started, bool Ready) State => (Started, Ready);
}
