namespace Orchestrator.Agent.Runtime;

/// <summary>The host side of a container: namespaces, mounts, limits, privileges.</summary>
public sealed class HostConfig
{
    /// <summary><c>bridge</c>, <c>host</c>, <c>none</c>, a network name, or <c>container:&lt;id&gt;</c> to share its namespace.</summary>
    public string? NetworkMode { get; set; }
    /// <summary><c>host-src:container-dest[:options]</c>.</summary>
    public List<string>? Binds { get; set; }
    public long? Memory { get; set; }
    public long? MemorySwap { get; set; }
    public long? MemoryReservation { get; set; }
    public long? NanoCpus { get; set; }
    public long? CpuShares { get; set; }
    public long? CpuPeriod { get; set; }
    public long? CpuQuota { get; set; }
    public Dictionary<string, List<PortBinding>>? PortBindings { get; set; }
    public bool Privileged { get; set; }
    public List<string>? CapAdd { get; set; }
    public List<string>? CapDrop { get; set; }
    public List<string>? Dns { get; set; }
    public List<string>? DnsSearch { get; set; }
    public List<string>? DnsOptions { get; set; }
    public List<string>? ExtraHosts { get; set; }
    public RestartPolicy? RestartPolicy { get; set; }
    public bool AutoRemove { get; set; }
    public string? IpcMode { get; set; }
    public string? PidMode { get; set; }
    public string? UTSMode { get; set; }
    public long? ShmSize { get; set; }
    public bool ReadonlyRootfs { get; set; }
    public List<string>? SecurityOpt { get; set; }
    public Dictionary<string, string>? Tmpfs { get; set; }
    public Dictionary<string, string>? Sysctls { get; set; }
    public bool? OomKillDisable { get; set; }
    public long? PidsLimit { get; set; }
}
