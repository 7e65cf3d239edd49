using System.Net;

namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>
/// The load balancer of one service port (the userspace proxy's <c>NextEndpoint(service, clientAddr, resetAffinity)</c>
/// seam): the current <see cref="BackendTable"/>, the algorithm's state, the ClientIP affinity map, and passive
/// health (an endpoint that fails <see cref="ServiceProxyOptions.EjectAfterFailures"/> connects in a row is skipped
/// for <see cref="ServiceProxyOptions.Ejection"/>, doubling, until readiness catches up). Every listener of the port
/// (cluster IP, node ports, LB IPs) shares it.
/// </summary>
public sealed class ServicePortBalancer
{
    private readonly TimeProvider _time;
    private readonly ServiceProxyOptions _options;
    private readonly SessionAffinityTable _affinity = new();
    private BackendTable _table = BackendTable.Empty;
    // One policy instance per candidate set: listeners restricted to local endpoints must not advance the round
    // robin of the cluster-wide list (interleaved, each would keep hitting the same endpoint).
    private ILoadBalancingPolicy _policy = new RoundRobinLoadBalancingPolicy();
    private ILoadBalancingPolicy _localPolicy = new RoundRobinLoadBalancingPolicy();

    public ServicePortBalancer(string key, TimeProvider time, ServiceProxyOptions options)
    {
        Key = key;
        _time = time;
        _options = options;
    }

    public string Key { get; }

    public BackendTable Table => Volatile.Read(ref _table);

    public SessionAffinityTable Affinity => _affinity;

    /// <summary>Swaps in <paramref name="next"/> unless it says the same as the current table; true when swapped.</summary>
    public bool Update(BackendTable next)
    {
        var current = Table;
        if (current.Signature == next.Signature) return false;
        if (current.Algorithm != next.Algorithm || current == BackendTable.Empty)
        {
            Volatile.Write(ref _policy, PolicyFor(next.Algorithm));
            Volatile.Write(ref _localPolicy, PolicyFor(next.Algorithm));
        }
        Volatile.Write(ref _table, next);
        _affinity.Retain(next.All.Select(b => b.EndPoint).ToHashSet());
        return true;
    }

    /// <summary>
    /// The endpoint for the next dial attempt of a connection from <paramref name="client"/>: its pinned endpoint
    /// (affinity) when allowed, else the algorithm's pick among allowed, non-ejected endpoints, else — when every
    /// remaining endpoint is ejected — an ejected one (a doubtful endpoint beats a refused connection). Null when
    /// every candidate has been tried.
    /// </summary>
    public Backend? Pick(BackendTable table, bool localOnly, IPAddress client, ref TriedBackends tried)
    {
        var candidates = localOnly ? table.Local : table.All;
        var nowTicks = _time.GetUtcNow().UtcTicks;
        if (table.AffinityTimeout is { } timeout && tried.Count == 0 && _affinity.Lookup(client, nowTicks, timeout) is { } pinned)
        {
            foreach (var b in candidates)
                if (b.EndPoint.Equals(pinned) && !b.Health.IsEjected(nowTicks)) return b;
        }
        var policy = localOnly ? Volatile.Read(ref _localPolicy) : Volatile.Read(ref _policy);
        var chosen = policy.Pick(candidates, client, new BackendFilter(ref tried, nowTicks, false))
                     ?? policy.Pick(candidates, client, new BackendFilter(ref tried, nowTicks, true));
        if (chosen != null && table.AffinityTimeout != null) _affinity.Remember(client, chosen.EndPoint, nowTicks);
        return chosen;
    }

    public void Succeeded(Backend backend) => backend.Health.Succeeded();

    /// <summary>A connect to <paramref name="backend"/> failed: counts towards ejection and releases the client's pin.</summary>
    public bool Failed(Backend backend, IPAddress client)
    {
        _affinity.Forget(client);
        return backend.Health.Failed(_options.EjectAfterFailures, _options.Ejection, _options.MaxEjection, _time.GetUtcNow().UtcTicks);
    }

    private static ILoadBalancingPolicy PolicyFor(LoadBalancingAlgorithm algorithm) => algorithm switch
    {
        LoadBalancingAlgorithm.Random => new RandomLoadBalancingPolicy(),
        LoadBalancingAlgorithm.LeastConnections => new LeastConnectionsLoadBalancingPolicy(),
        LoadBalancingAlgorithm.SourceHash => new SourceHashLoadBalancingPolicy(),
        _ => new RoundRobinLoadBalancingPolicy(),
    };
}
