using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Api.FieldValidation;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Api.Resources;

/// <summary>
/// <c>POST /apply</c> for curl users: a multi-document YAML (or JSON) file applied object by object, in file order,
/// with server-side apply semantics. The answer lists, like kubectl, whether each object was created, configured or
/// unchanged (<c>?output=json</c> for a JSON report). One bad object does not stop the others; the response code is
/// that of the first failure, or 200.
/// </summary>
public sealed class MultiDocumentApply(ResourceRegistry registry)
{
    public async Task HandleAsync(HttpContext ctx)
    {
        var ct = ctx.RequestAborted;
        var text = await RequestBody.ReadTextAsync(ctx, ct);
        var media = RequestBody.MediaType(ctx.Request.ContentType);
        var docs = media == "application/json"
            ? [RequestBody.ParseJson(text) ?? throw ApiException.BadRequest("the request body is empty")]
            : YamlJson.ParseAll(text);
        var defaultNs = string.IsNullOrEmpty(ctx.Request.Query["namespace"]) ? "default" : ctx.Request.Query["namespace"].ToString();
        var manager = string.IsNullOrEmpty(ctx.Request.Query["fieldManager"]) ? "curl-apply" : ctx.Request.Query["fieldManager"].ToString();
        var force = ctx.Request.Query["force"] == "true";
        var dryRun = ctx.Request.Query["dryRun"] == "All";

        var objects = docs.SelectMany(Flatten).ToList();
        var results = new JsonArray();
        int? firstFailure = null;
        foreach (var obj in objects)
        {
            var entry = new JsonObject();
            try
            {
                var kind = registry.Catalog.FindByApiVersionKind(obj.Str("apiVersion"), obj.Str("kind"))
                    ?? throw ApiException.BadRequest($"no kind \"{obj.Str("kind")}\" is registered for version \"{obj.Str("apiVersion")}\"");
                var name = obj["metadata"].Str("name") ?? throw ApiException.Invalid(kind.Kind, "", kind.Group, [FieldError.Required("metadata.name")]);
                var ns = kind.Namespaced ? obj["metadata"].Str("namespace") ?? defaultNs : null;
                entry["kind"] = kind.Kind;
                entry["name"] = name;
                if (ns != null) entry["namespace"] = ns;
                entry["reference"] = $"{Reference(kind)}/{name}";

                var before = registry.TryGetStored(kind, ns, name)?.Revision;
                var options = new WriteOptions(dryRun, manager, FieldValidationMode.Strict, force);
                var (result, created) = await registry.PatchAsync(kind, ns, name, "application/apply-patch+yaml", obj, null, options, ct);
                entry["result"] = created ? "created" : before?.ToString() == result.ResourceVersion() ? "unchanged" : "configured";
            }
            catch (ApiException e)
            {
                firstFailure ??= e.Code;
                entry["result"] = "error";
                entry["error"] = e.ToStatus();
            }
            results.Add(entry);
        }

        var status = firstFailure ?? 200;
        if (ctx.Request.Query["output"] == "json")
        {
            await ResponseWriter.WriteJsonAsync(ctx, new JsonObject { ["results"] = results }, status);
            return;
        }
        var sb = new StringBuilder();
        foreach (var r in results.OfType<JsonObject>())
        {
            if (r.Str("result") == "error")
                sb.Append("Error from server (").Append(r["error"].Str("reason")).Append("): ").Append(r["error"].Str("message")).Append('\n');
            else
                sb.Append(r.Str("reference")).Append(' ').Append(r.Str("result")).Append(dryRun ? " (server dry run)" : "").Append('\n');
        }
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        await ctx.Response.WriteAsync(sb.ToString(), ct);
    }

    /// <summary>"service", "deployment.apps": the prefix kubectl prints before the name.</summary>
    private static string Reference(ResourceKind kind) =>
        kind.Group.Length == 0 ? kind.Kind.ToLowerInvariant() : $"{kind.Kind.ToLowerInvariant()}.{kind.Group}";

    /// <summary>A document may be a single object or a List of objects (what `kubectl get -o yaml` prints).</summary>
    private static IEnumerable<JsonObject> Flatten(JsonNode doc)
    {
        if (doc is not JsonObject obj) throw ApiException.BadRequest("every YAML document must be an object");
        if (obj.Str("kind") is { } k && k.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
            return items.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone());
        return [obj];
    }
}
