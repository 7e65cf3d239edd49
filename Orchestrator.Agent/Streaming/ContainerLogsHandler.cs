using System.Globalization;
using Microsoft.AspNetCore.Http;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Agent.Streaming;

/// <summary>
/// <c>GET /containerLogs/{ns}/{pod}/{container}?follow&amp;tailLines&amp;sinceSeconds&amp;sinceTime&amp;timestamps&amp;previous&amp;limitBytes</c>,
/// as the kubelet serves it: the container's stdout and stderr interleaved as plain text, each chunk flushed as it
/// comes, the response ending when the log does (with <c>follow</c>: when the container stops).
/// </summary>
public sealed class ContainerLogsHandler(DockerClient docker, PodContainerLocator locator, TimeProvider time)
{
    public async Task HandleAsync(HttpContext ctx, string ns, string pod, string container)
    {
        var ct = ctx.RequestAborted;
        var q = ctx.Request.Query;
        var podUid = q["podUID"].ToString();
        var previous = Flag(q["previous"]);
        var target = previous
            ? await locator.PreviousAsync(ns, pod, podUid, container, ct)
            : await locator.CurrentAsync(ns, pod, podUid, container, ct);

        var options = new LogsOptions
        {
            // A previous container has exited: following it would end at once anyway.
            Follow = Flag(q["follow"]) && !previous,
            Timestamps = Flag(q["timestamps"]),
            Tail = OptionalInt(q["tailLines"], "tailLines"),
            Since = Since(q["sinceSeconds"], q["sinceTime"]),
        };
        long? limit = OptionalInt(q["limitBytes"], "limitBytes");

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        await ctx.Response.StartAsync(ct);
        long written = 0;
        await foreach (var frame in docker.GetLogsAsync(target.Id!, options, ct))
        {
            var data = frame.Data.AsMemory();
            if (limit is { } max && written + data.Length > max) data = data[..(int)(max - written)];
            await ctx.Response.Body.WriteAsync(data, ct);
            await ctx.Response.Body.FlushAsync(ct);
            written += data.Length;
            if (limit is { } reached && written >= reached) break;
        }
    }

    private DateTimeOffset? Since(string? seconds, string? rfc3339)
    {
        if (OptionalInt(seconds, "sinceSeconds") is { } s) return time.GetUtcNow().AddSeconds(-s);
        if (string.IsNullOrEmpty(rfc3339)) return null;
        return DateTimeOffset.TryParse(rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw new StreamingRequestException(400, "BadRequest", $"sinceTime \"{rfc3339}\" is not an RFC 3339 time");
    }

    private static int? OptionalInt(string? text, string name)
    {
        if (string.IsNullOrEmpty(text)) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new StreamingRequestException(400, "BadRequest", $"{name} \"{text}\" is not a non-negative integer");
    }

    public static bool Flag(string? value) => value is "true" or "1" or "True";
}
