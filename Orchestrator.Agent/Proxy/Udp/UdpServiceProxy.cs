using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Proxy.Balancing;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Proxy.Udp;

/// <summary>
/// The UDP half of the service proxy: one <see cref="UdpServiceForwarder"/> per planned UDP listener, choosing
/// backends through the same <see cref="ServicePortBalancer"/> logic as TCP (algorithm, ClientIP affinity, traffic
/// policies, source ranges). On every snapshot it swaps each listener's route (service port balancer and kind) in
/// place, prunes flows whose backend left, starts new forwarders and stops those no longer planned. A forwarder
/// that cannot bind is reported as a <see cref="PortConflict"/> and tried again on the next apply (the proxy
/// re-applies at least every <see cref="ServiceProxyOptions.AddressRefresh"/>).
/// </summary>
public sealed class UdpServiceProxy(IOptions<ServiceProxyOptions> options, TimeProvider time, ILoggerFactory loggers)
    : IUdpServiceProxy, IAsyncDisposable
{
    private sealed class Route(DesiredListener desired, ServicePortBalancer balancer)
    {
        public DesiredListener Desired = desired;
        public ServicePortBalancer Balancer = balancer;
    }

    private sealed record Served(UdpServiceForwarder Forwarder, Route Route);

    private readonly ILogger _log = loggers.CreateLogger<UdpServiceProxy>();
    private readonly Dictionary<ListenerKey, Served> _served = [];
    private readonly Dictionary<string, ServicePortBalancer> _balancers = new(StringComparer.Ordinal);
    private readonly Random _random = new();

    public async Task<IReadOnlyList<PortConflict>> ApplyAsync(ClusterServices snapshot, IReadOnlyCollection<DesiredListener> listeners, CancellationToken ct)
    {
        // Balancers: one per service port, their tables rebuilt from this snapshot.
        var wanted = new Dictionary<string, ServicePortBalancer>(StringComparer.Ordinal);
        foreach (var d in listeners)
        {
            if (wanted.ContainsKey(d.BalancerKey)) continue;
            if (snapshot.Services.GetValueOrDefault(d.ServiceKey) is not { } service) continue;
            var balancer = _balancers.GetValueOrDefault(d.BalancerKey) ?? new ServicePortBalancer(d.BalancerKey, time, options.Value);
            balancer.Update(BackendTable.Build(service, d.Port, snapshot.NodeName, balancer.Table, _random));
            wanted[d.BalancerKey] = balancer;
        }
        _balancers.Clear();
        foreach (var (k, v) in wanted) _balancers[k] = v;

        var desired = listeners.Where(d => wanted.ContainsKey(d.BalancerKey)).ToDictionary(d => d.Key);
        foreach (var gone in _served.Keys.Where(k => !desired.ContainsKey(k)).ToList())
        {
            await _served[gone].Forwarder.DisposeAsync();
            _served.Remove(gone);
            _log.LogInformation("UDP {Listener} closed", gone);
        }

        var conflicts = new List<PortConflict>();
        foreach (var (key, d) in desired)
        {
            var balancer = wanted[d.BalancerKey];
            if (_served.TryGetValue(key, out var served))
            {
                Volatile.Write(ref served.Route.Desired, d);
                Volatile.Write(ref served.Route.Balancer, balancer);
                var table = balancer.Table;
                var valid = table.CandidatesFor(d.Kind).Select(b => b.EndPoint).ToHashSet();
                served.Forwarder.Prune(valid.Contains);
                continue;
            }
            var route = new Route(d, balancer);
            var forwarder = new UdpServiceForwarder(key.EndPoint, client => Choose(route, client),
                new UdpForwarderOptions(), time, loggers.CreateLogger<UdpServiceForwarder>());
            try
            {
                await forwarder.StartAsync(ct);
                _served[key] = new Served(forwarder, route);
                _log.LogInformation("UDP {Listener} serving {Service}", key, d.ServiceKey);
            }
            catch (SocketException e)
            {
                await forwarder.DisposeAsync();
                conflicts.Add(new PortConflict(d, e.Message, PortHolderLookup.Find(key)));
            }
        }
        return conflicts;
    }

    /// <summary>The backend for a new flow from <paramref name="client"/>; null drops the datagram.</summary>
    private static IPEndPoint? Choose(Route route, IPEndPoint client)
    {
        var desired = Volatile.Read(ref route.Desired);
        var balancer = Volatile.Read(ref route.Balancer);
        var table = balancer.Table;
        if (!table.Admits(desired.Kind, client.Address)) return null;
        var tried = new TriedBackends();
        return balancer.Pick(table, table.LocalOnly(desired.Kind), client.Address, ref tried)?.EndPoint;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var served in _served.Values) await served.Forwarder.DisposeAsync();
        _served.Clear();
    }
}
