using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Labels;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>The questions the endpoint controllers ask about a Service, answered as upstream answers them.</summary>
public static class ServiceFacts
{
    public static string TypeOf(JsonObject svc) => svc["spec"].Str("type") is { Length: > 0 } t ? t : "ClusterIP";

    public static bool IsExternalName(JsonObject svc) => TypeOf(svc) == "ExternalName";

    /// <summary>
    /// A Service selects pods only with a non-empty selector map. An empty map is treated as no selector: the API
    /// stores both the same way upstream, and "select every pod in the namespace" is never what a user meant.
    /// </summary>
    public static bool HasSelector(JsonObject svc) => svc["spec"]?["selector"] is JsonObject { Count: > 0 };

    public static LabelSelector Selector(JsonObject svc) =>
        HasSelector(svc) ? LabelSelector.FromMap(svc["spec"]!["selector"]) : LabelSelector.Nothing;

    /// <summary>No cluster IP: DNS answers with the endpoints themselves (upstream's !IsServiceIPSet).</summary>
    public static bool IsHeadless(JsonObject svc) => svc["spec"].Str("clusterIP") is null or "" or "None";

    public static bool PublishNotReadyAddresses(JsonObject svc) => svc["spec"].Bool("publishNotReadyAddresses") == true;

    public static IReadOnlyList<JsonObject> Ports(JsonObject svc) =>
        (svc["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];

    /// <summary>The EndpointSlice address types this Service is served on, from spec.ipFamilies (IPv4 when unset).</summary>
    public static IReadOnlyList<string> AddressTypes(JsonObject svc)
    {
        var families = (svc["spec"]?["ipFamilies"] as JsonArray)?
            .Select(f => f is JsonValue v && v.TryGetValue<string>(out var s) ? s : null)
            .Where(s => s is "IPv4" or "IPv6")
            .Select(s => s!)
            .Distinct()
            .ToList();
        return families is { Count: > 0 } ? families : ["IPv4"];
    }

    /// <summary>Keys of the services in the pod's namespace whose selector matches the pod's labels.</summary>
    public static IEnumerable<string> KeysSelecting(Informer services, JsonObject pod)
    {
        var labels = pod.Labels();
        foreach (var svc in services.List(pod.Namespace()))
            if (HasSelector(svc) && Selector(svc).Matches(labels))
                yield return Informer.KeyOf(svc);
    }
}
