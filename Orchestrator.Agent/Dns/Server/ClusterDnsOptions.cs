namespace Orchestrator.Agent.Dns.Server;

/// <summary>Configuration section <c>ClusterDns</c> of the agent.</summary>
public sealed class ClusterDnsOptions
{
    public const string Section = "ClusterDns";

    public bool Enabled { get; set; } = true;

    /// <summary>Listen here instead of the cluster DNS IP of the snapshot (tests, benchmarks).</summary>
    public string? ListenAddress { get; set; }

    public int ListenPort { get; set; } = 53;

    /// <summary>
    /// Upstream servers ("ip" or "ip:port") for names outside the cluster zone; when empty, the nameservers of
    /// <see cref="ResolvConfPath"/> (or of <see cref="SystemdResolvConfPath"/> when the former lists only loopback stubs).
    /// </summary>
    public List<string> Upstreams { get; set; } = [];

    public string ResolvConfPath { get; set; } = "/etc/resolv.conf";

    public string SystemdResolvConfPath { get; set; } = "/run/systemd/resolve/resolv.conf";

    /// <summary>How long one upstream server gets to answer over UDP before the next one is asked.</summary>
    public int UpstreamTimeoutMilliseconds { get; set; } = 1500;

    /// <summary>Upstream attempts per query, cycling over the servers.</summary>
    public int UpstreamAttempts { get; set; } = 4;

    /// <summary>Entries of the upstream answer cache.</summary>
    public int UpstreamCacheSize { get; set; } = 4096;

    /// <summary>Longest time an upstream answer is kept, whatever its TTL.</summary>
    public int UpstreamCacheMaxTtlSeconds { get; set; } = 300;

    /// <summary>Encoded cluster answers kept per snapshot.</summary>
    public int AnswerCacheSize { get; set; } = 20000;

    /// <summary>The largest UDP response we send, whatever larger size a client advertises (DNS Flag Day 2020).</summary>
    public int MaxUdpSize { get; set; } = 1232;

    /// <summary>Concurrent UDP receive loops; 0 = one per processor (at least 2).</summary>
    public int UdpReceiveLoops { get; set; }

    /// <summary>
    /// UDP receive loops as dedicated threads in blocking recvfrom/sendto (true) or as async loops on the thread pool
    /// (false). Blocking threads skip the epoll hand-off whenever the queue runs empty; bench/dns-bench.sh compares both.
    /// </summary>
    public bool UdpBlockingReceive { get; set; } = true;

    /// <summary>The UDP socket's receive buffer, to ride out bursts (the kernel caps it at net.core.rmem_max).</summary>
    public int UdpReceiveBufferBytes { get; set; } = 4 << 20;

    public int TcpIdleTimeoutSeconds { get; set; } = 10;

    public int MaxTcpConnections { get; set; } = 256;

    /// <summary>Retry interval while the listen address cannot be bound.</summary>
    public int BindRetrySeconds { get; set; } = 2;
}
