using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Orchestrator.Api.Printing;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Core.Storage;

namespace Orchestrator.Api.Watch;

/// <summary>
/// Serves <c>?watch=true</c>: newline-delimited JSON events, flushed one by one.
/// <list type="number">
/// <item>resourceVersion unset or "0": the current matching objects as synthetic ADDED events, then changes after the list.</item>
/// <item>resourceVersion N: every change after N from the revision log (410 Expired, in-stream, when compacted).</item>
/// <item>With selectors, an object that starts matching arrives as ADDED and one that stops matching as DELETED.</item>
/// </list>
/// The stream ends after <c>timeoutSeconds</c>, when the client goes, or when the watcher falls behind (it must re-list).
/// </summary>
public sealed class WatchStreamer(ResourceRegistry registry, TablePrinter printer, TimeProvider time, ILogger<WatchStreamer> log)
{
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(30);

    public async Task StreamAsync(HttpContext ctx, ResourceKind kind, string? ns, ListQuery query)
    {
        var ct = ctx.RequestAborted;
        var table = ResponseWriter.WantsTable(ctx.Request);
        var fullObject = ResponseWriter.IncludeFullObject(ctx.Request);
        var bookmarks = ctx.Request.Query["allowWatchBookmarks"] == "true";
        TimeSpan? timeout = long.TryParse(ctx.Request.Query["timeoutSeconds"], out var ts) && ts > 0 ? TimeSpan.FromSeconds(ts) : null;

        long after;
        var initial = new List<StoredObject>();
        if (query.ResourceVersion is null or "0")
        {
            var page = registry.List(kind, ns, query with { Limit = null, Continue = null });
            initial.AddRange(page.Items);
            after = page.Revision;
        }
        else if (!long.TryParse(query.ResourceVersion, out after) || after < 0)
        {
            throw ApiException.BadRequest($"invalid resourceVersion \"{query.ResourceVersion}\"");
        }

        IWatchSubscription subscription;
        try
        {
            subscription = await registry.WatchAsync(kind, ns, after, ct);
        }
        catch (ApiException e) when (e.Code == 410)
        {
            // Real apiservers answer 200 and report expiry as the stream's only event; informers rely on that.
            await BeginAsync(ctx);
            var status = new ApiException(410, "Expired", e.Message).ToStatus();
            await WriteEventAsync(ctx, "ERROR", JsonSerializer.SerializeToUtf8Bytes(status), ct);
            return;
        }

        using (subscription)
        {
            await BeginAsync(ctx);
            foreach (var item in initial)
                await WriteEventAsync(ctx, "ADDED", Render(kind, item.Json, table, fullObject), ct);

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (timeout is { } t) deadline.CancelAfter(t);
            var lastRevision = after;
            var nextBookmark = time.GetUtcNow() + BookmarkInterval;
            try
            {
                while (!deadline.IsCancellationRequested)
                {
                    var waitFor = nextBookmark - time.GetUtcNow();
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    tick.CancelAfter(waitFor > TimeSpan.Zero ? waitFor : TimeSpan.Zero);
                    StoreEvent? e = null;
                    try
                    {
                        if (!await subscription.Events.WaitToReadAsync(tick.Token)) break;
                        subscription.Events.TryRead(out e);
                    }
                    catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                    {
                        nextBookmark = time.GetUtcNow() + BookmarkInterval;
                        if (bookmarks) await WriteBookmarkAsync(ctx, kind, lastRevision, ct);
                        continue;
                    }
                    if (e == null) continue;
                    lastRevision = e.Revision;
                    if (WatchFilter.Translate(kind, e, query) is { } type)
                        await WriteEventAsync(ctx, WatchFilter.WireName(type), Render(kind, e.Object, table, fullObject), ct);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (WatcherTooSlowException ex)
            {
                log.LogInformation("Dropped a slow watcher on {Kind}: {Message}", kind.Plural, ex.Message);
            }
            catch (IOException)
            {
                // The client went away mid-write.
            }
        }
    }

    private byte[] Render(ResourceKind kind, byte[] json, bool table, bool fullObject)
    {
        if (!table) return json;
        var obj = JsonNode.Parse(json)!.AsObject();
        return JsonSerializer.SerializeToUtf8Bytes(printer.BuildTable(kind, [obj], obj.ResourceVersion(), null, fullObject));
    }

    private static async Task BeginAsync(HttpContext ctx)
    {
        ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.StartAsync(ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
    }

    private static async Task WriteBookmarkAsync(HttpContext ctx, ResourceKind kind, long revision, CancellationToken ct)
    {
        var obj = new JsonObject
        {
            ["kind"] = kind.Kind, ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString() },
        };
        await WriteEventAsync(ctx, "BOOKMARK", JsonSerializer.SerializeToUtf8Bytes(obj), ct);
    }

    private static async Task WriteEventAsync(HttpContext ctx, string type, byte[] obj, CancellationToken ct)
    {
        var body = ctx.Response.Body;
        await body.WriteAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":"), ct);
        await body.WriteAsync(obj, ct);
        await body.WriteAsync("}\n"u8.ToArray(), ct);
        await body.FlushAsync(ct);
    }
}
