using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling;

/// <summary>
/// A node as one scheduling cycle sees it: the Node object and the non-terminated pods on it (bound, or assumed
/// bound by this scheduler), with their summed requests and claimed host ports. Built fresh for every cycle from
/// the informer caches, never mutated afterwards.
/// </summary>
public sealed class NodeInfo
{
    public NodeInfo(JsonObject node, IReadOnlyList<JsonObject> pods)
    {
        Node = node;
        Name = node.Name() ?? "";
        Pods = pods;
        Allocatable = ResourceList.FromJson(node["status"]?["allocatable"]);
        var requested = ResourceList.Empty;
        var ports = new List<HostPort>();
        foreach (var pod in pods)
        {
            requested = requested.Add(PodResources.Requests(pod));
            ports.AddRange(PodResources.HostPorts(pod));
        }
        Requested = requested;
        UsedPorts = ports;
    }

    public JsonObject Node { get; }

    public string Name { get; }

    public IReadOnlyList<JsonObject> Pods { get; }

    public ResourceList Allocatable { get; }

    public ResourceList Requested { get; }

    public IReadOnlyList<HostPort> UsedPorts { get; }

    public IReadOnlyDictionary<string, string> Labels => Node.Labels();

    public IEnumerable<JsonObject> Taints => (Node["spec"]?["taints"] as JsonArray)?.OfType<JsonObject>() ?? [];
}
