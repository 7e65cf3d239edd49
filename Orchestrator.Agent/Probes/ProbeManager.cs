using Microsoft.Extensions.Logging;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// The kubelet's prober manager for this node's containers, keyed by Docker container id:
/// <code>
///  Track ─► startup worker ──settled success──► liveness worker + readiness worker
///                │                                   │                  │
///                └─settled failure─► Unhealthy ◄─────┘ settled failure   └─settled result─► ready / not ready
/// </code>
/// <list type="bullet">
/// <item>Liveness and readiness do not run until the startup probe succeeded; the startup probe stops then.</item>
/// <item>A settled liveness or startup failure raises <see cref="Unhealthy"/> once and that worker holds: it runs
/// no more for this container id (a restarted container has a new id and is tracked afresh). Readiness goes on,
/// as in the kubelet, until the pod worker untracks the container.</item>
/// <item><see cref="Changed"/> fires only when a container's started or ready state actually changed.</item>
/// <item>Events are raised outside the lock, so handlers may call back into the manager.</item>
/// </list>
/// </summary>
public sealed class ProbeManager(HandlerRunner runner, ILogger<ProbeManager> logger) : IProbeManager, IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, TrackedContainer> _containers = new(StringComparer.Ordinal);

    public event Action<string>? Changed;

    public event Action<ContainerProbeTarget, string>? Unhealthy;

    public event Action<ProbeReport>? Probed;

    public void Track(ContainerProbeTarget target)
    {
        List<ProbeWorker> workers;
        lock (_gate)
        {
            if (_containers.ContainsKey(target.ContainerId))
                return;
            var container = new TrackedContainer(target);
            container.Started = container.Startup is null;
            _containers[target.ContainerId] = container;
            if (container.Startup is { } startup)
                AddWorker(container, ProbeKind.Startup, startup);
            else
                AddLivenessAndReadiness(container);
            workers = [.. container.Workers];
        }
        foreach (var worker in workers)
            worker.Start();
    }

    public void Untrack(string containerId)
    {
        List<ProbeWorker> workers;
        lock (_gate)
        {
            if (!_containers.Remove(containerId, out var container))
                return;
            container.Untracked = true;
            workers = [.. container.Workers];
            container.Workers.Clear();
        }
        foreach (var worker in workers)
            worker.Stop();
    }

    public bool IsReady(string containerId)
    {
        lock (_gate)
            return _containers.TryGetValue(containerId, out var c) && c.Ready;
    }

    public bool IsStarted(string containerId)
    {
        lock (_gate)
            return _containers.TryGetValue(containerId, out var c) && c.Started;
    }

    public string? LastFailureMessage(string containerId)
    {
        lock (_gate)
        {
            if (!_containers.TryGetValue(containerId, out var c) || c.LastFailures.Count == 0)
                return null;
            return c.LastFailures.Values.MaxBy(f => f.At).Message;
        }
    }

    private void AddLivenessAndReadiness(TrackedContainer container)
    {
        if (container.Liveness is { } liveness)
            AddWorker(container, ProbeKind.Liveness, liveness);
        if (container.Readiness is { } readiness)
            AddWorker(container, ProbeKind.Readiness, readiness);
    }

    private void AddWorker(TrackedContainer container, ProbeKind kind, ProbeSettings settings) =>
        container.Workers.Add(new ProbeWorker(kind, settings, container.Target, runner,
            (worker, report, settled) => OnRun(container, worker, report, settled), logger));

    /// <summary>A worker finished a run: update the container's state, then raise events. False stops the worker.</summary>
    private bool OnRun(TrackedContainer container, ProbeWorker worker, ProbeReport report, ProbeOutcome? settled)
    {
        var keepGoing = true;
        var changed = false;
        string? unhealthy = null;
        List<ProbeWorker> toStart = [];
        lock (_gate)
        {
            if (container.Untracked)
                return false;
            var before = container.State;
            if (report.Result.Outcome == ProbeOutcome.Failure)
                container.LastFailures[report.Kind] = (report.EventMessage!, report.At);
            else if (report.Result.Passed)
                container.LastFailures.Remove(report.Kind);

            switch (report.Kind, settled)
            {
                case (ProbeKind.Startup, ProbeOutcome.Success):
                    container.Started = true;
                    keepGoing = false;
                    var existing = container.Workers.Count;
                    AddLivenessAndReadiness(container);
                    toStart = container.Workers.Skip(existing).ToList();
                    break;
                case (ProbeKind.Startup or ProbeKind.Liveness, ProbeOutcome.Failure):
                    unhealthy = report.EventMessage;
                    keepGoing = false;
                    break;
                case (ProbeKind.Readiness, ProbeOutcome.Success or ProbeOutcome.Failure):
                    container.ReadinessPassed = settled == ProbeOutcome.Success;
                    break;
            }
            if (!keepGoing)
                container.Workers.Remove(worker);
            changed = before != container.State;
        }

        foreach (var started in toStart)
            started.Start();
        // Probed last: whoever waits for a run's report then sees its Changed and Unhealthy already raised.
        if (changed)
            Raise(() => Changed?.Invoke(container.Target.PodUid));
        if (unhealthy is not null)
        {
            logger.LogInformation("Container {Container} of pod {Pod}: {Message}", container.Target.ContainerId,
                container.Target.PodUid, unhealthy);
            Raise(() => Unhealthy?.Invoke(container.Target, unhealthy));
        }
        Raise(() => Probed?.Invoke(report));
        return keepGoing;
    }

    /// <summary>A throwing handler must not end a probe loop.</summary>
    private void Raise(Action raise)
    {
        try
        {
            raise();
        }
        catch (Exception e)
        {
            logger.LogError(e, "A probe event handler threw");
        }
    }

    public void Dispose()
    {
        List<string> ids;
        lock (_gate)
            ids = [.. _containers.Keys];
        foreach (var id in ids)
            Untrack(id);
    }
}
