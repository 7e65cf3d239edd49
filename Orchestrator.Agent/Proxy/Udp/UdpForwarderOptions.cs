namespace Orchestrator.Agent.Proxy.Udp;

/// <summary>Tunables of one <see cref="UdpServiceForwarder"/>; the defaults are what a node runs with.</summary>
public sealed record UdpForwarderOptions
{
    /// <summary>
    /// A client's flow (its outbound socket and backend choice) ends after this long without a datagram either way.
    /// 30 s is conntrack's timeout for a UDP flow (<c>nf_conntrack_udp_timeout</c>), i.e. what clients see through
    /// kube-proxy's iptables and IPVS modes, so their behaviour carries over. kube-proxy's old userspace mode used
    /// 250 ms: it freed sockets quickly, but a reply slower than that (a DNS server forwarding upstream, a game or
    /// media server) arrived after its flow was gone, and every request of a slow client landed on a new backend.
    /// The flow limit (<see cref="MaxFlows"/>) bounds what a long timeout costs.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// At most this many concurrent flows (one outbound socket each); a datagram from a new client beyond it is
    /// dropped and counted, as conntrack drops when its table is full, rather than evicting a live flow.
    /// </summary>
    public int MaxFlows { get; set; } = 4096;
}
