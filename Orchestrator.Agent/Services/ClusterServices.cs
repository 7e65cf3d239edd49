namespace Orchestrator.Agent.Services;

/// <summary>
/// An immutable snapshot of what the node's data path serves: every Service with its endpoints, every Node, the
/// namespaces, this node's name and the cluster's network settings (service CIDR, DNS IP, domain). Built by <see cref="ServiceView"/> from its informers on
/// every (coalesced) change; <see cref="Version"/> grows by one per snapshot. Consumers compare the snapshot they
/// applied last with the new one and converge, so a snapshot is never edited.
/// </summary>
public sealed record ClusterServices(
    long Version,
    DateTimeOffset BuiltAt,
    string NodeName,
    NetworkSettings Settings,
    IReadOnlyDictionary<string, ServiceEntry> Services,
    IReadOnlyDictionary<string, NodeEntry> Nodes,
    IReadOnlySet<string> Namespaces)
{
    public static readonly ClusterServices Empty = new(0, DateTimeOffset.MinValue, "", NetworkSettings.Default,
        new Dictionary<string, ServiceEntry>(), new Dictionary<string, NodeEntry>(), new HashSet<string>());

    public ServiceEntry? Find(string ns, string name) => Services.GetValueOrDefault($"{ns}/{name}");

    public NodeEntry? ThisNode => Nodes.GetValueOrDefault(NodeName);
}
