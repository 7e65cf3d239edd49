using System.Text.Json.Nodes;
using Orchestrator.Api.Patching;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Labels;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Resources;

/// <summary>
/// The <c>scale</c> subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and ReplicationControllers:
/// a view of spec.replicas, status.replicas and the selector, writable through GET/PUT/PATCH.
/// </summary>
public sealed class ScaleSubresource(ResourceRegistry registry)
{
    public JsonObject Get(ResourceKind kind, string ns, string name) => ToScale(kind, registry.Get(kind, ns, name));

    public async Task<JsonObject> UpdateAsync(ResourceKind kind, string ns, string name, JsonObject scale, WriteOptions options, CancellationToken ct)
    {
        var stored = registry.GetStored(kind, ns, name);
        var rv = scale["metadata"].Str("resourceVersion");
        if (!string.IsNullOrEmpty(rv) && rv != stored.Revision.ToString()) throw registry.Conflict(kind, name);
        return await SetReplicasAsync(kind, ns, name, stored.Parse(), scale, options, ct);
    }

    public async Task<JsonObject> PatchAsync(ResourceKind kind, string ns, string name, string contentType, JsonNode patch, WriteOptions options, CancellationToken ct)
    {
        var current = registry.Get(kind, ns, name);
        var scale = ToScale(kind, current);
        var patched = contentType switch
        {
            "application/json-patch+json" => JsonPatch.Apply(scale, patch as JsonArray ?? throw ApiException.BadRequest("json patch must be an array")),
            "application/merge-patch+json" => JsonMergePatch.Apply(scale, patch),
            "application/strategic-merge-patch+json" => StrategicMergePatch.Apply(scale, patch as JsonObject ?? throw ApiException.BadRequest("patch must be an object"), "autoscaling", "Scale"),
            _ => throw ApiException.UnsupportedMediaType($"unsupported patch type for scale: {contentType}"),
        };
        return await SetReplicasAsync(kind, ns, name, current, patched, options, ct);
    }

    private async Task<JsonObject> SetReplicasAsync(ResourceKind kind, string ns, string name, JsonObject current, JsonObject scale, WriteOptions options, CancellationToken ct)
    {
        var replicasNode = scale["spec"]?["replicas"];
        long replicas;
        try
        {
            replicas = replicasNode?.GetValue<long>() ?? 0;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw ApiException.Invalid("Scale", name, "autoscaling", [FieldError.Invalid("spec.replicas", replicasNode?.ToJsonString(), "must be an integer")]);
        }
        if (replicas < 0 || replicas > int.MaxValue)
            throw ApiException.Invalid("Scale", name, "autoscaling", [FieldError.Invalid("spec.replicas", replicas, "must be greater than or equal to 0")]);
        var updated = current.Clone();
        updated.Obj("spec")["replicas"] = replicas;
        var (result, _) = await registry.UpdateAsync(kind, ns, name, updated, null, options, ct);
        return ToScale(kind, result);
    }

    public static JsonObject ToScale(ResourceKind kind, JsonObject obj)
    {
        var meta = obj.Metadata();
        var selectorNode = obj["spec"]?["selector"];
        var selector = kind.Kind == "ReplicationController"
            ? LabelSelector.FromMap(KubeObject.StringMap(selectorNode))
            : LabelSelector.FromJson(selectorNode as JsonObject);
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta.Str("name"),
                ["namespace"] = meta.Str("namespace"),
                ["uid"] = meta.Str("uid"),
                ["resourceVersion"] = meta.Str("resourceVersion"),
                ["creationTimestamp"] = meta.Str("creationTimestamp"),
            },
            ["spec"] = new JsonObject { ["replicas"] = obj["spec"].Long("replicas") ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = obj["status"].Long("replicas") ?? 0,
                ["selector"] = selector.ToString(),
            },
        };
    }
}
