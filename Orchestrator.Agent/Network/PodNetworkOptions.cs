namespace Orchestrator.Agent.Network;

/// <summary>Names of the pod network on this Docker host; tests choose their own so they never meet a real agent's.</summary>
public sealed record PodNetworkOptions
{
    public const string DefaultNetworkName = "orchestrator-pods";
    public const string DefaultBridgeName = "orch0";

    /// <summary>The Docker network's name.</summary>
    public string NetworkName { get; init; } = DefaultNetworkName;

    /// <summary>The Linux bridge interface behind it (at most 15 characters, the kernel's IFNAMSIZ - 1).</summary>
    public string BridgeName { get; init; } = DefaultBridgeName;

    /// <summary>How often the Node is read while the server has not given it a podCIDR yet.</summary>
    public TimeSpan PodCidrPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Extra labels on the network (tests mark theirs for cleanup).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
