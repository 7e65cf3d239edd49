namespace Orchestrator.Core.Controllers.Nodes;

/// <summary>Where node pod CIDRs come from (the API server's <c>--cluster-cidr</c>) and how big each is.</summary>
public sealed record NodeIpamOptions
{
    /// <summary>The pod address range of the whole cluster.</summary>
    public string ClusterCidr { get; init; } = "10.244.0.0/16";

    /// <summary>The prefix length of each node's pod CIDR: /24 gives 254 pod addresses (110 pods fit).</summary>
    public int NodeCidrMaskSize { get; init; } = 24;
}
