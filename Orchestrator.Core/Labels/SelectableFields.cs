using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Labels;

/// <summary>
/// The fields each kind can be filtered on with a field selector, and their values for one object.
/// The sets mirror what the apiserver registers per kind; anything else is refused with
/// "field label not supported", which kubectl shows verbatim.
/// </summary>
public static class SelectableFields
{
    private static readonly string[] Common = ["metadata.name", "metadata.namespace"];

    private static readonly string[] PodFields =
    [
        "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
        "status.phase", "status.podIP", "status.nominatedNodeName",
    ];

    private static readonly string[] CoreEventFields =
    [
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
        "reason", "reportingComponent", "source", "type",
    ];

    // events.k8s.io/v1 names the involved object "regarding"; the core names are accepted too, as upstream converts them.
    private static readonly string[] NewEventFields =
    [
        .. CoreEventFields,
        "regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid",
        "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath",
        "reportingController", "deprecatedSource",
    ];

    /// <summary>Fields beyond metadata.name/metadata.namespace that <paramref name="kind"/> supports.</summary>
    public static IReadOnlyList<string> For(ResourceKind kind) => (kind.Group, kind.Kind) switch
    {
        ("", "Pod") => PodFields,
        ("", "Event") => CoreEventFields,
        ("events.k8s.io", "Event") => NewEventFields,
        ("", "Node") => ["spec.unschedulable"],
        ("", "Namespace") => ["status.phase"],
        ("", "Secret") => ["type"],
        ("", "ReplicationController") or ("apps", "ReplicaSet") => ["status.replicas"],
        ("batch", "Job") => ["status.successful"],
        _ => [],
    };

    public static bool IsSupported(ResourceKind kind, string field) => Common.Contains(field) || For(kind).Contains(field);

    /// <summary>
    /// The value of <paramref name="field"/> on <paramref name="obj"/> as the selector compares it: strings as is,
    /// booleans "true"/"false", integers in decimal, missing values as "". Unsupported fields throw 400.
    /// </summary>
    public static string Get(ResourceKind kind, JsonObject obj, string field)
    {
        if (!IsSupported(kind, field)) throw ApiException.BadRequest($"field label not supported: {field}");
        switch (field)
        {
            case "metadata.name": return obj.Name() ?? "";
            case "metadata.namespace": return obj.Namespace() ?? "";
        }

        var isNewEvent = kind is { Group: "events.k8s.io", Kind: "Event" };
        return (kind.Kind, field) switch
        {
            ("Pod", "spec.hostNetwork") => Bool(obj.At("spec"), "hostNetwork"),
            ("Pod", "status.podIP") => PodIp(obj),
            ("Node", "spec.unschedulable") => Bool(obj.At("spec"), "unschedulable"),
            ("Job", "status.successful") => (obj.At("status").Long("succeeded") ?? 0).ToString(),
            ("ReplicationController" or "ReplicaSet", "status.replicas") => (obj.At("status").Long("replicas") ?? 0).ToString(),
            ("Event", _) when isNewEvent => NewEventField(obj, field),
            ("Event", "source") => First(obj.At("source").Str("component"), obj.Str("reportingComponent")),
            ("Event", "reportingComponent") => obj.Str("reportingComponent") ?? "",
            _ => obj.At(field) is JsonValue v && v.TryGetValue<string>(out var s) ? s : "",
        };
    }

    private static string NewEventField(JsonObject obj, string field)
    {
        const string involved = "involvedObject.";
        if (field.StartsWith(involved, StringComparison.Ordinal)) field = "regarding." + field[involved.Length..];
        return field switch
        {
            "reportingComponent" or "reportingController" => obj.Str("reportingController") ?? "",
            "source" or "deprecatedSource" =>
                First(obj.At("deprecatedSource").Str("component"), obj.Str("reportingController")),
            _ => obj.At(field) is JsonValue v && v.TryGetValue<string>(out var s) ? s : "",
        };
    }

    private static string PodIp(JsonObject pod)
    {
        if (pod.At("status.podIPs") is JsonArray ips && ips.Count > 0 && ips[0].Str("ip") is { Length: > 0 } first) return first;
        return pod.At("status").Str("podIP") ?? "";
    }

    private static string Bool(JsonNode? node, string property) => node.Bool(property) == true ? "true" : "false";

    private static string First(string? a, string? b) => !string.IsNullOrEmpty(a) ? a : b ?? "";
}
