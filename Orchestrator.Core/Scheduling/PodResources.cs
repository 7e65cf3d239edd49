using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling;

/// <summary>What a pod asks of a node, computed as upstream's resource helpers do.</summary>
public static class PodResources
{
    /// <summary>
    /// The effective requests: the sum over app containers, raised to the largest single init container (init
    /// containers run one at a time before the app containers), plus the pod's overhead. A container that names a
    /// limit but no request requests its limit, as API defaulting would have set it.
    /// </summary>
    public static ResourceList Requests(JsonObject pod)
    {
        var spec = pod["spec"] as JsonObject;
        var sum = ResourceList.Empty;
        foreach (var c in Containers(spec, "containers")) sum = sum.Add(ContainerRequests(c));
        foreach (var c in Containers(spec, "initContainers")) sum = sum.Max(ContainerRequests(c));
        return sum.Add(ResourceList.FromJson(spec?["overhead"]));
    }

    private static ResourceList ContainerRequests(JsonObject container)
    {
        var resources = container["resources"];
        return Merge(ResourceList.FromJson(resources?["requests"]), ResourceList.FromJson(resources?["limits"]));
    }

    private static ResourceList Merge(ResourceList requests, ResourceList limits)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in limits.Names) result[name] = limits[name];
        foreach (var name in requests.Names) result[name] = requests[name];
        return new ResourceList(result);
    }

    private static IEnumerable<JsonObject> Containers(JsonObject? spec, string field) =>
        (spec?[field] as JsonArray)?.OfType<JsonObject>() ?? [];

    /// <summary>The host ports the pod's containers claim.</summary>
    public static IEnumerable<HostPort> HostPorts(JsonObject pod)
    {
        foreach (var c in Containers(pod["spec"] as JsonObject, "containers"))
            foreach (var p in (c["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
                if (p.Long("hostPort") is > 0 and var port)
                    yield return new HostPort(
                        p.Str("hostIP") is { Length: > 0 } ip ? ip : HostPort.AnyAddress,
                        p.Str("protocol") is { Length: > 0 } proto ? proto : "TCP",
                        (int)port);
    }
}
