using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Proxy;

/// <summary>
/// The <see cref="IUdpServiceProxy"/> until a UDP forwarder is registered: serves nothing and says so in the log,
/// once per listener, so a UDP service without a forwarder is visible instead of silently dead.
/// </summary>
public sealed class UnhandledUdpServiceProxy(ILogger<UnhandledUdpServiceProxy> log) : IUdpServiceProxy
{
    private readonly HashSet<ListenerKey> _logged = [];

    public Task<IReadOnlyList<PortConflict>> ApplyAsync(ClusterServices snapshot, IReadOnlyCollection<DesiredListener> listeners, CancellationToken ct)
    {
        foreach (var l in listeners)
            if (_logged.Add(l.Key))
                log.LogWarning("UDP not handled: {Listener} of service {Service} is not served (no UDP forwarder registered)", l.Key, l.ServiceKey);
        _logged.IntersectWith(listeners.Select(l => l.Key));
        return Task.FromResult<IReadOnlyList<PortConflict>>([]);
    }
}
