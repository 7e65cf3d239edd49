namespace Orchestrator.Agent.Proxy;

/// <summary>
/// Tunables of the node's L4 service proxy, bound from the configuration section <see cref="Section"/>
/// (e.g. <c>ServiceProxy__Enabled=false</c>, <c>ServiceProxy__NodePortAddresses__0=192.168.1.0/24</c>).
/// </summary>
public sealed class ServiceProxyOptions
{
    public const string Section = "ServiceProxy";

    /// <summary>False: the proxy binds nothing (test agents, or a node whose services another proxy serves).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// CIDRs that restrict the addresses node ports are served on (kube-proxy's <c>--nodeport-addresses</c>); empty:
    /// every local IPv4 address outside the service CIDR, loopback included.
    /// </summary>
    public List<string> NodePortAddresses { get; set; } = [];

    /// <summary>
    /// When set, the addresses that count as this node's own instead of the host's interfaces (node ports are bound
    /// on them; LoadBalancer ingress and external IPs are served when they are among them). Tests use 127.x addresses.
    /// </summary>
    public List<string>? NodeAddresses { get; set; }

    /// <summary>Bind cluster IPs with IP_FREEBIND so a VIP need not be on an interface yet (Linux only).</summary>
    public bool FreeBind { get; set; } = true;

    /// <summary>Listen backlog of every listener.</summary>
    public int Backlog { get; set; } = 1024;

    /// <summary>
    /// Bytes Kestrel buffers from a client before it stops reading (back-pressure towards a slow backend). Small keeps
    /// memory flat at thousands of connections; 64 KiB still fills a loopback window.
    /// </summary>
    public long MaxReadBufferSize { get; set; } = 64 * 1024;

    /// <summary>Size of the pooled buffers that carry backend → client bytes.</summary>
    public int BufferSize { get; set; } = 16 * 1024;

    /// <summary>
    /// Kestrel's <c>UnsafePreferInlineScheduling</c>: the forwarding loop runs where the client's bytes arrived
    /// instead of hopping through an I/O queue. Measured: +70–80 % requests per proxy CPU-second for small
    /// keep-alive requests with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1, no loss for 1 MB bodies (the backend
    /// → client path never goes through a pipe). Nothing on the proxy's path blocks a thread.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;

    /// <summary>Kestrel's I/O queues (0: schedule straight on the thread pool).</summary>
    public int IoQueueCount { get; set; } = Math.Min(Environment.ProcessorCount, 16);

    /// <summary>Wait for readable data before Kestrel takes a buffer for a client (no memory held by idle clients).</summary>
    public bool WaitForDataBeforeAllocatingBuffer { get; set; } = true;

    /// <summary>Dial timeouts of the successive connect attempts of one connection (the userspace proxy's 250 ms … 2 s).</summary>
    public List<TimeSpan> ConnectTimeouts { get; set; } =
        [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>Consecutive connect failures after which an endpoint is ejected.</summary>
    public int EjectAfterFailures { get; set; } = 3;

    /// <summary>First ejection time; doubles with every further ejection up to <see cref="MaxEjection"/>.</summary>
    public TimeSpan Ejection { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxEjection { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>First retry of a port that could not be bound; doubles up to <see cref="MaxBindRetry"/>.</summary>
    public TimeSpan BindRetry { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBindRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The host's addresses are looked at again this often even when no service changed (DHCP, new links).</summary>
    public TimeSpan AddressRefresh { get; set; } = TimeSpan.FromSeconds(30);
}
