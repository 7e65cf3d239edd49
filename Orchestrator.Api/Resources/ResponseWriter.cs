using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Api.Printing;
using Orchestrator.Core.Model;
using Orchestrator.Core.Storage;

namespace Orchestrator.Api.Resources;

/// <summary>
/// Writes objects, lists and Tables. kubectl asks for <c>as=Table</c> on human output; everything else gets JSON.
/// Lists are written by splicing the stored JSON bytes, so listing 10,000 pods parses none of them.
/// </summary>
public sealed class ResponseWriter(TablePrinter printer)
{
    private static readonly byte[] Comma = ","u8.ToArray();

    public static bool WantsTable(HttpRequest request) =>
        request.Headers.Accept.Any(a => a != null && a.Contains("as=Table", StringComparison.Ordinal));

    public static bool IncludeFullObject(HttpRequest request) => request.Query["includeObject"] == "Object";

    public async Task WriteObjectAsync(HttpContext ctx, ResourceKind kind, JsonObject obj, int status = 200)
    {
        if (WantsTable(ctx.Request))
        {
            var table = printer.BuildTable(kind, [obj], obj.ResourceVersion(), null, IncludeFullObject(ctx.Request));
            await WriteJsonAsync(ctx, table, status);
            return;
        }
        await WriteJsonAsync(ctx, obj, status);
    }

    public async Task WriteStoredAsync(HttpContext ctx, ResourceKind kind, StoredObject stored)
    {
        if (WantsTable(ctx.Request))
        {
            await WriteObjectAsync(ctx, kind, stored.Parse());
            return;
        }
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.Body.WriteAsync(stored.Json, ctx.RequestAborted);
    }

    public async Task WriteListAsync(HttpContext ctx, ResourceKind kind, ResourceRegistry.ListPage page)
    {
        if (WantsTable(ctx.Request))
        {
            var table = printer.BuildTable(kind, page.Items.Select(i => i.Parse()).ToList(), page.Revision.ToString(),
                page.Continue, IncludeFullObject(ctx.Request));
            await WriteJsonAsync(ctx, table, 200);
            return;
        }
        var meta = new JsonObject { ["resourceVersion"] = page.Revision.ToString() };
        if (page.Continue != null) meta["continue"] = page.Continue;
        if (page.RemainingItemCount is { } rem) meta["remainingItemCount"] = rem;
        var head = $"{{\"kind\":\"{kind.ListKind}\",\"apiVersion\":\"{kind.ApiVersion}\",\"metadata\":{meta.ToJsonString()},\"items\":[";
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var body = ctx.Response.Body;
        var ct = ctx.RequestAborted;
        await body.WriteAsync(Encoding.UTF8.GetBytes(head), ct);
        for (var i = 0; i < page.Items.Count; i++)
        {
            if (i > 0) await body.WriteAsync(Comma, ct);
            await body.WriteAsync(page.Items[i].Json, ct);
        }
        await body.WriteAsync("]}"u8.ToArray(), ct);
    }

    public static async Task WriteJsonAsync(HttpContext ctx, JsonNode node, int status)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(node), ctx.RequestAborted);
    }

    public static Task WriteStatusAsync(HttpContext ctx, Orchestrator.Core.Errors.ApiException e) =>
        WriteJsonAsync(ctx, e.ToStatus(), e.Code);

    public static Task WriteSuccessAsync(HttpContext ctx, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success",
        };
        if (details != null) status["details"] = details;
        return WriteJsonAsync(ctx, status, 200);
    }
}
