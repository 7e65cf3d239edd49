namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// The node-wide settings a pod's containers are built with: the cluster DNS service address and domain (what
/// ClusterFirst pods resolve through), where the node's own resolver and hosts files are, and what the node can
/// offer (a resourceFieldRef to an unset limit reports the node's allocatable, as the kubelet does).
/// </summary>
public sealed record PodSpecOptions
{
    /// <summary>The <c>kube-dns</c> Service's cluster IP; empty means "no cluster DNS" (ClusterFirst falls back to the node's resolver).</summary>
    public string ClusterDnsIp { get; init; } = "10.96.0.10";

    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>The node's resolver configuration, used by <c>dnsPolicy: Default</c> and for the node's search domains.</summary>
    public string HostResolvConfPath { get; init; } = "/etc/resolv.conf";

    /// <summary>
    /// systemd-resolved's list of real upstream servers. When the node's resolv.conf names only the 127.0.0.53 stub
    /// (unreachable from a pod's own network namespace), this file is read instead, as the kubelet's
    /// <c>--resolv-conf</c> advice says.
    /// </summary>
    public string SystemdResolvConfPath { get; init; } = "/run/systemd/resolve/resolv.conf";

    /// <summary>The node's hosts file, copied for <c>hostNetwork</c> pods.</summary>
    public string HostHostsPath { get; init; } = "/etc/hosts";

    /// <summary>The node's CPU in millicores, reported by a resourceFieldRef to an unset <c>limits.cpu</c>.</summary>
    public long NodeAllocatableMilliCpu { get; init; } = Environment.ProcessorCount * 1000L;

    /// <summary>The node's memory in bytes, reported by a resourceFieldRef to an unset <c>limits.memory</c>.</summary>
    public long NodeAllocatableMemory { get; init; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>The node's ephemeral storage in bytes, reported for an unset <c>limits.ephemeral-storage</c>.</summary>
    public long NodeAllocatableEphemeralStorage { get; init; } = 100L * 1024 * 1024 * 1024;
}
