using System.Net;
using System.Text;
using Orchestrator.Agent.Network;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>
/// Everything a connection of one service port needs, frozen: the ready endpoints (shuffled once, when the table is
/// built), the node-local subset, and the port's policies. Tables are never edited; a change builds a new one that
/// <see cref="ServicePortBalancer.Update"/> swaps in with one reference write, so connections never lock.
/// </summary>
public sealed class BackendTable
{
    public const string ProxyProtocolAnnotation = "orchestrator.io/proxy-protocol";

    public static readonly BackendTable Empty = new([], [], LoadBalancingAlgorithm.RoundRobin, null, [], 0, false, false, "");

    private BackendTable(Backend[] all, Backend[] local, LoadBalancingAlgorithm algorithm, TimeSpan? affinityTimeout,
        IReadOnlyList<Ipv4Cidr> sourceRanges, int proxyProtocol, bool externalLocal, bool internalLocal, string signature)
    {
        All = all;
        Local = local;
        Algorithm = algorithm;
        AffinityTimeout = affinityTimeout;
        SourceRanges = sourceRanges;
        ProxyProtocol = proxyProtocol;
        ExternalLocal = externalLocal;
        InternalLocal = internalLocal;
        Signature = signature;
    }

    /// <summary>Ready endpoints on any node, in the order round robin walks them.</summary>
    public Backend[] All { get; }

    /// <summary>The endpoints of <see cref="All"/> on this node (for the Local traffic policies).</summary>
    public Backend[] Local { get; }

    public LoadBalancingAlgorithm Algorithm { get; }

    /// <summary>Set for <c>sessionAffinity: ClientIP</c>: how long an idle client stays pinned.</summary>
    public TimeSpan? AffinityTimeout { get; }

    /// <summary><c>loadBalancerSourceRanges</c> of a LoadBalancer service (empty: anyone).</summary>
    public IReadOnlyList<Ipv4Cidr> SourceRanges { get; }

    /// <summary>0: none; 1 or 2: the PROXY protocol version sent to the backend before the client's bytes.</summary>
    public int ProxyProtocol { get; }

    public bool ExternalLocal { get; }

    public bool InternalLocal { get; }

    /// <summary>A canonical text of endpoints and policies: equal signatures need no swap (round robin keeps its place).</summary>
    public string Signature { get; }

    /// <summary>Whether a listener of <paramref name="kind"/> may use only node-local endpoints (the traffic policies).</summary>
    public bool LocalOnly(ListenerKind kind) => kind == ListenerKind.ClusterIp ? InternalLocal : ExternalLocal;

    /// <summary>The endpoints a listener of <paramref name="kind"/> may use under the traffic policies.</summary>
    public Backend[] CandidatesFor(ListenerKind kind) => LocalOnly(kind) ? Local : All;

    /// <summary>False when <c>loadBalancerSourceRanges</c> apply to this listener and the client is outside them.</summary>
    public bool Admits(ListenerKind kind, IPAddress client) =>
        SourceRanges.Count == 0 || kind is not (ListenerKind.LoadBalancerIngress or ListenerKind.NodePort) ||
        SourceRanges.ContainedInAny(client);

    /// <summary>
    /// The table of <paramref name="port"/> of <paramref name="service"/>, reusing the <see cref="BackendHealth"/> of
    /// endpoints <paramref name="previous"/> already had.
    /// </summary>
    public static BackendTable Build(ServiceEntry service, ServicePortEntry port, string nodeName, BackendTable? previous, Random random)
    {
        var known = new Dictionary<IPEndPoint, BackendHealth>();
        if (previous != null)
            foreach (var b in previous.All) known[b.EndPoint] = b.Health;

        var backends = new List<Backend>();
        foreach (var (endpoint, backendPort) in service.ReadyBackends(port))
        {
            var ep = new IPEndPoint(endpoint.Address, backendPort);
            if (backends.Exists(b => b.EndPoint.Equals(ep))) continue;
            backends.Add(new Backend(ep, endpoint.NodeName, known.GetValueOrDefault(ep) ?? new BackendHealth()));
        }

        var algorithm = LoadBalancingAlgorithms.Parse(service.Annotations.GetValueOrDefault(LoadBalancingAlgorithms.AnnotationName));
        TimeSpan? affinity = service.SessionAffinity == "ClientIP" ? TimeSpan.FromSeconds(Math.Max(1, service.AffinityTimeoutSeconds)) : null;
        var ranges = service.Type == "LoadBalancer" ? service.LoadBalancerSourceRanges : [];
        var proxyProtocol = service.Annotations.GetValueOrDefault(ProxyProtocolAnnotation)?.Trim().ToLowerInvariant() switch
        {
            "v1" or "1" => 1,
            "v2" or "2" => 2,
            _ => 0,
        };
        var externalLocal = service.ExternalTrafficPolicy == "Local";
        var internalLocal = service.InternalTrafficPolicy == "Local";

        var signature = new StringBuilder();
        foreach (var b in backends.OrderBy(b => b.EndPoint.ToString(), StringComparer.Ordinal))
            signature.Append(b.EndPoint).Append('@').Append(b.NodeName).Append(',');
        signature.Append('|').Append(nodeName).Append('|').Append(algorithm).Append('|').Append(affinity?.TotalSeconds)
            .Append('|').Append(string.Join(",", ranges)).Append('|').Append(proxyProtocol)
            .Append('|').Append(externalLocal).Append('|').Append(internalLocal);

        var all = backends.ToArray();
        random.Shuffle(all);
        var local = all.Where(b => b.NodeName == nodeName).ToArray();
        return new BackendTable(all, local, algorithm, affinity, ranges, proxyProtocol, externalLocal, internalLocal, signature.ToString());
    }
}
