using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.GarbageCollection;

/// <summary>
/// Events expire an hour after they were last seen, as etcd's TTL does for upstream's events: every minute a sweep
/// lists core/v1 and events.k8s.io/v1 Events and deletes those whose latest timestamp (lastTimestamp, eventTime,
/// series.lastObservedTime, deprecatedLastTimestamp; creationTimestamp when none is set) is older than <see cref="Ttl"/>.
/// A live list each minute instead of an informer: events are many, and nothing else needs them cached.
/// </summary>
public sealed class EventTtlController(IKubeClient client, TimeProvider time, ILogger<EventTtlController> log) : IController
{
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(1);
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private static readonly ResourceKind[] EventKinds =
        [Kinds.Event, .. ResourceCatalog.Default.Kinds.Where(k => k.Kind == "Event" && k != Kinds.Event)];

    public string Name => "event-ttl";

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Event expiry sweep failed: {Message}", e.Message);
            }
            try
            {
                await Task.Delay(SweepInterval, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass; returns how many events it deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - Ttl;
        var deleted = 0;
        foreach (var kind in EventKinds)
        {
            var list = await client.ListAsync(kind, null, ct: ct);
            foreach (var evt in list.Items)
            {
                if (LastSeen(evt) is not { } seen || seen >= cutoff) continue;
                try
                {
                    await client.DeleteAsync(kind, evt.Namespace(), evt.Name()!, new DeleteRequest(null, null, evt.Uid()), ct);
                    deleted++;
                }
                catch (ApiException e) when (e.Code is 404 or 409)
                {
                }
            }
        }
        if (deleted > 0) log.LogDebug("Expired {Count} events", deleted);
        return deleted;
    }

    /// <summary>
    /// The latest moment the event is known to have happened: the latest of its own timestamps, or its
    /// creationTimestamp when it carries none (null when it has no time at all).
    /// </summary>
    public static DateTimeOffset? LastSeen(JsonObject evt)
    {
        string?[] stamps =
        [
            evt.Str("lastTimestamp"), evt.Str("eventTime"), evt["series"].Str("lastObservedTime"),
            evt.Str("deprecatedLastTimestamp"), evt.Str("firstTimestamp"),
        ];
        DateTimeOffset? latest = null;
        foreach (var s in stamps)
            if (KubeTime.Parse(s) is { } t && (latest == null || t > latest)) latest = t;
        return latest ?? KubeTime.Parse(evt["metadata"].Str("creationTimestamp"));
    }
}
