using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>Building and recognising EndpointSlices, shared by the slice and mirroring controllers.</summary>
public static class EndpointSlices
{
    /// <summary>Slices of one service written by one controller, by the two labels every slice carries.</summary>
    public static List<JsonObject> Managed(Informer slices, string ns, string serviceName, string controllerName) =>
        slices.List(ns)
            .Where(s => s["metadata"]?["deletionTimestamp"] == null)
            .Where(s => s.Labels() is var l &&
                        l.GetValueOrDefault(DiscoveryConventions.ServiceNameLabel) == serviceName &&
                        l.GetValueOrDefault(DiscoveryConventions.ManagedByLabel) == controllerName)
            .ToList();

    /// <summary>"namespace/service" of a slice, from its service-name label; null without it.</summary>
    public static string? ServiceKeyOf(JsonObject slice) =>
        slice.Labels().GetValueOrDefault(DiscoveryConventions.ServiceNameLabel) is { Length: > 0 } svc
            ? Informer.KeyOf(slice.Namespace(), svc)
            : null;

    public static bool IsManagedBy(JsonObject slice, string controllerName) =>
        slice.Labels().GetValueOrDefault(DiscoveryConventions.ManagedByLabel) == controllerName;

    /// <summary>
    /// What makes two endpoints "the same endpoint" (upstream hashes the same fields): addresses, hostname and the
    /// target's namespace/name. Conditions, node and zone may change in place.
    /// </summary>
    public static string EndpointId(JsonObject endpoint)
    {
        var addresses = (endpoint["addresses"] as JsonArray)?.Select(a => a?.GetValue<string>() ?? "") ?? [];
        return $"{string.Join(",", addresses)}|{endpoint.Str("hostname")}|{endpoint["targetRef"].Str("namespace")}/{endpoint["targetRef"].Str("name")}";
    }

    /// <summary>Order-insensitive identity of a slice's port list; slices are grouped by it.</summary>
    public static string PortsKey(JsonNode? ports) =>
        string.Join(";", ((ports as JsonArray)?.OfType<JsonObject>() ?? [])
            .Select(p => $"{p.Str("name")}|{p.Long("port")}|{p.Str("protocol")}|{p.Str("appProtocol")}")
            .Order(StringComparer.Ordinal));

    public static IReadOnlyList<JsonObject> EndpointsOf(JsonObject slice) =>
        (slice["endpoints"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];

    /// <summary>A new slice (generateName "&lt;name&gt;-") with the given owner, labels and ports and no endpoints yet.</summary>
    public static JsonObject New(string ns, string baseName, JsonObject ownerRef, IReadOnlyDictionary<string, string> labels,
        IReadOnlyDictionary<string, string>? annotations, string addressType, JsonArray ports)
    {
        var meta = new JsonObject
        {
            ["generateName"] = baseName + "-",
            ["namespace"] = ns,
            ["labels"] = JsonCompare.ToJson(labels),
        };
        if (annotations is { Count: > 0 }) meta["annotations"] = JsonCompare.ToJson(annotations);
        meta["ownerReferences"] = new JsonArray(ownerRef);
        var slice = new JsonObject
        {
            ["apiVersion"] = DiscoveryConventions.EndpointSliceApiVersion,
            ["kind"] = "EndpointSlice",
            ["metadata"] = meta,
            ["addressType"] = addressType,
            ["endpoints"] = new JsonArray(),
        };
        SetPorts(slice, ports);
        return slice;
    }

    /// <summary>Ports are omitted when there are none (a placeholder, a headless service without ports).</summary>
    public static void SetPorts(JsonObject slice, JsonArray ports)
    {
        if (ports.Count > 0) slice["ports"] = ports.DeepClone();
        else slice.Remove("ports");
    }

    public static void SetEndpoints(JsonObject slice, IEnumerable<JsonObject> endpoints) =>
        slice["endpoints"] = new JsonArray(endpoints.Select(e => (JsonNode)e.DeepClone()).ToArray());

    public static bool OwnedBy(JsonObject slice, JsonObject owner) =>
        OwnerReferences.All(slice).Any(r => r.Str("uid") == owner.Uid());
}
