using System.Text.Json.Nodes;
using Orchestrator.Api.Watch;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Resources;

/// <summary>
/// The REST surface of every kind: /api/v1/... and /apis/{group}/{version}/... dispatched by verb and path shape
/// to the generic registry and the subresource handlers.
/// </summary>
public static class ResourceEndpoints
{
    public static IEndpointRouteBuilder MapResources(this IEndpointRouteBuilder app)
    {
        app.Map("/api/{version}/{**rest}", (HttpContext ctx, string version, string? rest) =>
            HandleAsync(ctx, "", version, rest));
        app.Map("/apis/{group}/{version}/{**rest}", (HttpContext ctx, string group, string version, string? rest) =>
            HandleAsync(ctx, group, version, rest));
        return app;
    }

    private static async Task HandleAsync(HttpContext ctx, string group, string version, string? rest)
    {
        var services = ctx.RequestServices;
        var registry = services.GetRequiredService<ResourceRegistry>();
        var segments = (rest ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var path = ApiPath.Parse(registry.Catalog, group, version, segments);
        var ct = ctx.RequestAborted;
        var writer = services.GetRequiredService<ResponseWriter>();
        var kind = path.Kind;
        var method = ctx.Request.Method;

        if (path.Name == null)
        {
            switch (method)
            {
                case "GET":
                    var query = ListQuery.FromQuery(ctx.Request.Query);
                    query.Fields?.ValidateFor(kind);
                    if (path.WatchPrefix || ctx.Request.Query["watch"] is var w && (w == "true" || w == "1"))
                        await services.GetRequiredService<WatchStreamer>().StreamAsync(ctx, kind, path.Namespace, query);
                    else
                        await writer.WriteListAsync(ctx, kind, registry.List(kind, path.Namespace, query));
                    return;
                case "POST":
                    if (kind.Namespaced && path.Namespace == null) throw ApiException.MethodNotAllowed("create needs a namespace in the path");
                    var body = await RequestBody.ReadObjectAsync(ctx, ct);
                    var created = await registry.CreateAsync(kind, path.Namespace, body, WriteOptions.FromRequest(ctx.Request), ct);
                    await writer.WriteObjectAsync(ctx, kind, created, 201);
                    return;
                case "DELETE":
                    await DeleteCollectionAsync(ctx, registry, path, ct);
                    return;
                default:
                    throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
            }
        }

        var name = path.Name;
        var ns = path.Namespace;
        switch (path.Subresource)
        {
            case null or "status":
                await HandleObjectAsync(ctx, registry, writer, path, ct);
                return;
            case "scale":
                await HandleScaleAsync(ctx, services.GetRequiredService<ScaleSubresource>(), writer, path, ct);
                return;
            case "binding" when method == "POST":
                await services.GetRequiredService<BindingSubresource>().BindAsync(kind, ns!, name, await RequestBody.ReadObjectAsync(ctx, ct), ct);
                await ResponseWriter.WriteJsonAsync(ctx, SuccessStatus(), 201);
                return;
            case "eviction" when method == "POST":
                var eviction = await RequestBody.ReadObjectAsync(ctx, ct);
                await registry.DeleteAsync(kind, ns, name, DeleteOptions.From(eviction["deleteOptions"] as JsonObject, ctx.Request.Query), ct);
                await ResponseWriter.WriteJsonAsync(ctx, SuccessStatus(), 201);
                return;
            case "log" or "exec" or "attach" or "portforward":
                await services.GetRequiredService<PodStreamingEndpoint>().HandleAsync(ctx, path);
                return;
            case "finalize" when method is "PUT" or "PATCH":
                var (fin, _) = method == "PUT"
                    ? await registry.UpdateAsync(kind, ns, name, await RequestBody.ReadObjectAsync(ctx, ct), "finalize", WriteOptions.FromRequest(ctx.Request), ct)
                    : await registry.PatchAsync(kind, ns, name, RequestBody.MediaType(ctx.Request.ContentType), await RequestBody.ReadNodeAsync(ctx, ct), "finalize", WriteOptions.FromRequest(ctx.Request), ct);
                await writer.WriteObjectAsync(ctx, kind, fin);
                return;
            default:
                throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }
    }

    private static async Task HandleObjectAsync(HttpContext ctx, ResourceRegistry registry, ResponseWriter writer, ApiPath path, CancellationToken ct)
    {
        var (kind, ns, name, sub) = (path.Kind, path.Namespace, path.Name!, path.Subresource);
        var options = WriteOptions.FromRequest(ctx.Request);
        switch (ctx.Request.Method)
        {
            case "GET":
                await writer.WriteStoredAsync(ctx, kind, registry.GetStored(kind, ns, name));
                return;
            case "PUT":
            {
                var body = await RequestBody.ReadObjectAsync(ctx, ct);
                var (obj, created) = await registry.UpdateAsync(kind, ns, name, body, sub, options, ct);
                await writer.WriteObjectAsync(ctx, kind, obj, created ? 201 : 200);
                return;
            }
            case "PATCH":
            {
                var contentType = RequestBody.MediaType(ctx.Request.ContentType);
                var patch = await RequestBody.ReadNodeAsync(ctx, ct);
                var (obj, created) = await registry.PatchAsync(kind, ns, name, contentType, patch, sub, options, ct);
                await writer.WriteObjectAsync(ctx, kind, obj, created ? 201 : 200);
                return;
            }
            case "DELETE" when sub == null:
            {
                JsonObject? body = null;
                if (ctx.Request.ContentLength is > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
                    body = (await RequestBody.ReadNodeAsync(ctx, ct)) as JsonObject;
                var (obj, deleted) = await registry.DeleteAsync(kind, ns, name, DeleteOptions.From(body, ctx.Request.Query), ct);
                _ = deleted; // gone or only marked for deletion: both answer 200 with the last state, as upstream
                await writer.WriteObjectAsync(ctx, kind, obj);
                return;
            }
            default:
                throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private static async Task HandleScaleAsync(HttpContext ctx, ScaleSubresource scale, ResponseWriter writer, ApiPath path, CancellationToken ct)
    {
        var (kind, ns, name) = (path.Kind, path.Namespace!, path.Name!);
        var options = WriteOptions.FromRequest(ctx.Request);
        JsonObject result = ctx.Request.Method switch
        {
            "GET" => scale.Get(kind, ns, name),
            "PUT" => await scale.UpdateAsync(kind, ns, name, await RequestBody.ReadObjectAsync(ctx, ct), options, ct),
            "PATCH" => await scale.PatchAsync(kind, ns, name, RequestBody.MediaType(ctx.Request.ContentType), await RequestBody.ReadNodeAsync(ctx, ct), options, ct),
            _ => throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource"),
        };
        await ResponseWriter.WriteJsonAsync(ctx, result, 200);
    }

    private static async Task DeleteCollectionAsync(HttpContext ctx, ResourceRegistry registry, ApiPath path, CancellationToken ct)
    {
        JsonObject? body = null;
        if (ctx.Request.ContentLength is > 0) body = (await RequestBody.ReadNodeAsync(ctx, ct)) as JsonObject;
        var options = DeleteOptions.From(body, ctx.Request.Query);
        var page = registry.List(path.Kind, path.Namespace, ListQuery.FromQuery(ctx.Request.Query) with { Limit = null, Continue = null });
        var items = new JsonArray();
        foreach (var item in page.Items)
        {
            var obj = item.Parse();
            try
            {
                var (last, _) = await registry.DeleteAsync(path.Kind, obj.Namespace(), obj.Name()!, options, ct);
                items.Add(last);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted concurrently: that is what the caller wanted.
            }
        }
        await ResponseWriter.WriteJsonAsync(ctx, new JsonObject
        {
            ["kind"] = path.Kind.ListKind, ["apiVersion"] = path.Kind.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = registry.Store.CurrentRevision.ToString() },
            ["items"] = items,
        }, 200);
    }

    private static JsonObject SuccessStatus() => new()
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201,
    };
}
