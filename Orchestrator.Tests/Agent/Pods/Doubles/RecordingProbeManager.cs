using System.Collections.Concurrent;
using Orchestrator.Agent.Probes;

namespace Orchestrator.Tests.Agent.Pods.Doubles;

/// <summary>Probes that only record what is tracked; every tracked container is ready unless told otherwise.</summary>
internal sealed class RecordingProbeManager : IProbeManager
{
    public ConcurrentDictionary<string, ContainerProbeTarget> Tracked { get; } = new();
    public ConcurrentDictionary<string, bool> Unready { get; } = new();

    public void Track(ContainerProbeTarget target) => Tracked.TryAdd(target.ContainerId, target);

    public void Untrack(string containerId) => Tracked.TryRemove(containerId, out _);

    public bool IsReady(string containerId) => Tracked.ContainsKey(containerId) && !Unready.ContainsKey(containerId);

    public bool IsStarted(string containerId) => Tracked.ContainsKey(containerId);

    public string? LastFailureMessage(string containerId) => null;

    public event Action<string>? Changed;

    public event Action<ProbeReport>? Probed;

    public void Report(ProbeReport report) => Probed?.Invoke(report);

    public event Action<ContainerProbeTarget, string>? Unhealthy;

    public void FailLiveness(ContainerProbeTarget target, string message) => Unhealthy?.Invoke(target, message);

    public void RaiseChanged(string uid) => Changed?.Invoke(uid);
}
