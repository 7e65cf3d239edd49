using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Proxy.Balancing;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Proxy.Udp;

/// <summary>
/// The UDP half of the service proxy: one <see cref="UdpServiceForwarder"/> per planned UDP listener (cluster IP,
/// node port, external or LoadBalancer IP), choosing backends through the same <see cref="ServicePortBalancer"/>
/// machinery as TCP (round robin or the annotated algorithm, ClientIP affinity, traffic policies,
/// loadBalancerSourceRanges, ejection after refusals). Called by <see cref="ServiceProxy"/> on its loop only.
/// <list type="number">
/// <item>Balancers: one per service port, its table rebuilt from the snapshot (swapped only when it changed).</item>
/// <item>Listeners no longer planned are closed (their flows with them).</item>
/// <item>Kept listeners get the new route; when their balancer's table changed, flows whose backend is no longer a
///   candidate are pruned, so those clients move with their next datagram.</item>
/// <item>New listeners are bound; a bind failure is returned as a <see cref="PortConflict"/> (the proxy reports it on
///   the Service) and tried again on the next apply (the proxy re-applies at least every
///   <see cref="ServiceProxyOptions.AddressRefresh"/>).</item>
/// </list>
/// UDP cannot preserve the client address towards the backend (replies must come back through the forwarder), as in
/// kube-proxy's userspace mode; externalTrafficPolicy Local still restricts backends to this node.
/// </summary>
public sealed class UdpServiceProxy : IUdpServiceProxy, IAsyncDisposable
{
    private readonly ServiceProxyOptions _proxyOptions;
    private readonly UdpForwarderOptions _udpOptions;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly Random _random = new();
    private readonly Dictionary<string, ServicePortBalancer> _balancers = new(StringComparer.Ordinal);
    private readonly Dictionary<ListenerKey, UdpServiceListener> _listeners = [];

    public UdpServiceProxy(IOptions<ServiceProxyOptions> proxyOptions, IOptions<UdpForwarderOptions> udpOptions, TimeProvider time, ILoggerFactory loggers)
    {
        _proxyOptions = proxyOptions.Value;
        _udpOptions = udpOptions.Value;
        _time = time;
        _loggers = loggers;
        _log = loggers.CreateLogger<UdpServiceProxy>();
    }

    /// <summary>The live forwarders by listener (for tests and diagnostics; read from the proxy loop's thread only).</summary>
    public IReadOnlyDictionary<ListenerKey, UdpServiceForwarder> Forwarders => _listeners.ToDictionary(l => l.Key, l => l.Value.Forwarder);

    public async Task<IReadOnlyList<PortConflict>> ApplyAsync(ClusterServices snapshot, IReadOnlyCollection<DesiredListener> listeners, CancellationToken ct)
    {
        // 1. Balancers and their tables.
        var wanted = new Dictionary<string, DesiredListener>(StringComparer.Ordinal);
        foreach (var d in listeners) wanted.TryAdd(d.BalancerKey, d);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, d) in wanted)
        {
            if (snapshot.Services.GetValueOrDefault(d.ServiceKey) is not { } service) continue;
            if (!_balancers.TryGetValue(key, out var balancer))
                _balancers[key] = balancer = new ServicePortBalancer(key, _time, _proxyOptions);
            if (balancer.Update(BackendTable.Build(service, d.Port, snapshot.NodeName, balancer.Table, _random))) changed.Add(key);
        }
        foreach (var gone in _balancers.Keys.Where(k => !wanted.ContainsKey(k)).ToList()) _balancers.Remove(gone);
        var desired = new Dictionary<ListenerKey, DesiredListener>();
        foreach (var d in listeners)
            if (_balancers.ContainsKey(d.BalancerKey)) desired.TryAdd(d.Key, d);

        // 2. Listeners no longer planned.
        foreach (var key in _listeners.Keys.Where(k => !desired.ContainsKey(k)).ToList())
        {
            var old = _listeners[key];
            _listeners.Remove(key);
            await old.Forwarder.DisposeAsync().ConfigureAwait(false);
            _log.LogInformation("Stopped UDP listener {Listener} of {Service}", key, old.Route.Listener.ServiceKey);
        }

        // 3. Kept listeners: new route, prune flows whose backend left.
        foreach (var (key, listener) in _listeners)
        {
            var d = desired[key];
            var balancer = _balancers[d.BalancerKey];
            var route = listener.Route;
            if (route.Listener != d || route.Balancer != balancer) listener.Route = route = new UdpRoute(d, balancer);
            if (!changed.Contains(d.BalancerKey) && route.Listener == d) continue;
            var candidates = balancer.Table.CandidatesFor(d.Kind).Select(b => b.EndPoint).ToHashSet();
            var pruned = listener.Forwarder.Prune(candidates.Contains);
            if (pruned > 0) _log.LogDebug("UDP listener {Listener}: {Count} flow(s) moved off departed backends", key, pruned);
        }

        // 4. New listeners.
        var conflicts = new List<PortConflict>();
        foreach (var (key, d) in desired)
        {
            if (_listeners.ContainsKey(key)) continue;
            var listener = new UdpServiceListener(new UdpRoute(d, _balancers[d.BalancerKey]), l => new UdpServiceForwarder(
                key.EndPoint, client => Choose(l, client), _udpOptions, _time,
                _loggers.CreateLogger<UdpServiceForwarder>(), (client, backend) => Refused(l, client, backend)));
            var forwarder = listener.Forwarder;
            try
            {
                await forwarder.StartAsync(ct).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                await forwarder.DisposeAsync().ConfigureAwait(false);
                var error = e.SocketErrorCode switch
                {
                    SocketError.AddressAlreadyInUse => "address already in use",
                    SocketError.AddressNotAvailable => "address not available on this host",
                    SocketError.AccessDenied => "permission denied",
                    _ => e.Message,
                };
                var holder = PortHolderLookup.Find(key);
                _log.LogWarning("Cannot listen on {Listener} for {Service}: {Error}{Holder}; retrying with the next change",
                    key, d.ServiceKey, error, holder != null ? $" (held by {holder})" : "");
                conflicts.Add(new PortConflict(d, error, holder));
                continue;
            }
            _listeners[key] = listener;
            _log.LogInformation("Listening on {Listener} for {Service} ({Kind})", key, d.ServiceKey, d.Kind);
        }
        return conflicts;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners.Values) await listener.Forwarder.DisposeAsync().ConfigureAwait(false);
        _listeners.Clear();
        _balancers.Clear();
    }

    /// <summary>The backend for a new flow of <paramref name="client"/> (null: drop) under the listener's current route.</summary>
    private static IPEndPoint? Choose(UdpServiceListener listener, IPEndPoint client)
    {
        var route = listener.Route;
        var table = route.Balancer.Table;
        var address = client.Address.IsIPv4MappedToIPv6 ? client.Address.MapToIPv4() : client.Address;
        if (!table.Admits(route.Listener.Kind, address)) return null;
        var tried = new TriedBackends();
        return route.Balancer.Pick(table, table.LocalOnly(route.Listener.Kind), address, ref tried)?.EndPoint;
    }

    private static void Refused(UdpServiceListener listener, IPEndPoint client, IPEndPoint backend)
    {
        var route = listener.Route;
        foreach (var b in route.Balancer.Table.All)
            if (b.EndPoint.Equals(backend)) route.Balancer.Failed(b, client.Address);
    }
}
