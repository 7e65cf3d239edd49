using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling;

/// <summary>
/// A node as one scheduling cycle sees it: the Node object and the non-terminated pods on it (bound, or assumed
/// bound by this scheduler), with their summed requests, claimed host ports and per-controller counts. Built fresh
/// for every cycle from the informer caches, never mutated afterwards.
/// </summary>
public sealed class NodeInfo
{
    private readonly Dictionary<string, int> _owners = new(StringComparer.Ordinal);

    public NodeInfo(JsonObject node, IReadOnlyList<JsonObject> pods) : this(node, pods.Select(PodInfo.Of).ToList())
    {
    }

    public NodeInfo(JsonObject node, IReadOnlyList<PodInfo> pods)
    {
        Node = node;
        Name = node.Name() ?? "";
        PodInfos = pods;
        Allocatable = ResourceList.FromJson(node["status"]?["allocatable"]);
        var requested = new Dictionary<string, long>(StringComparer.Ordinal);
        var ports = new List<HostPort>();
        foreach (var pod in pods)
        {
            foreach (var name in pod.Requests.Names) requested[name] = requested.GetValueOrDefault(name) + pod.Requests[name];
            ports.AddRange(pod.HostPorts);
            NonZeroMilliCpu += pod.NonZeroMilliCpu;
            NonZeroMemory += pod.NonZeroMemory;
            if (pod.OwnerKey != null) _owners[pod.OwnerKey] = _owners.GetValueOrDefault(pod.OwnerKey) + 1;
        }
        Requested = new ResourceList(requested);
        UsedPorts = ports;
    }

    public JsonObject Node { get; }

    public string Name { get; }

    public IReadOnlyList<PodInfo> PodInfos { get; }

    public int PodCount => PodInfos.Count;

    public ResourceList Allocatable { get; }

    public ResourceList Requested { get; }

    /// <summary>Requested cpu and memory counting best-effort pods at the scoring defaults.</summary>
    public long NonZeroMilliCpu { get; }

    public long NonZeroMemory { get; }

    public IReadOnlyList<HostPort> UsedPorts { get; }

    /// <summary>How many of this node's pods the controller "namespace/uid" owns.</summary>
    public int CountOwnedBy(string ownerKey) => _owners.GetValueOrDefault(ownerKey);

    public IReadOnlyDictionary<string, string> Labels => Node.Labels();

    public IEnumerable<JsonObject> Taints => (Node["spec"]?["taints"] as JsonArray)?.OfType<JsonObject>() ?? [];
}
