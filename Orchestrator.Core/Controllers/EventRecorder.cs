using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers;

/// <summary>
/// Records core/v1 Events about objects, as `kubectl describe` and `kubectl get events` show them. A repeat of the
/// same (object, type, reason, message) within the hour bumps <c>count</c> and <c>lastTimestamp</c> of the existing
/// Event instead of creating a new one. Recording never fails the caller: errors are logged.
/// </summary>
public sealed class EventRecorder(IKubeClient client, TimeProvider time, ILogger<EventRecorder> log, string component)
{
    private static readonly TimeSpan AggregationWindow = TimeSpan.FromHours(1);
    private const int MaxRemembered = 4096;

    private readonly ConcurrentDictionary<string, (string Namespace, string Name, DateTimeOffset First)> _recent = new();
    private long _sequence = Random.Shared.Next(0x10000);

    public const string Normal = "Normal";
    public const string Warning = "Warning";

    public string Component => component;

    /// <summary>Records an event about <paramref name="involved"/> (any object with metadata, apiVersion and kind).</summary>
    public async Task RecordAsync(JsonObject involved, string type, string reason, string message, CancellationToken ct = default)
    {
        try
        {
            await RecordCoreAsync(involved, type, reason, message, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogDebug("Could not record event {Reason} for {Name}: {Message}", reason, involved.Name(), e.Message);
        }
    }

    private async Task RecordCoreAsync(JsonObject involved, string type, string reason, string message, CancellationToken ct)
    {
        var ns = involved.Namespace() is { Length: > 0 } n ? n : "default";
        var now = time.GetUtcNow();
        var stamp = KubeTime.Format(now);
        var key = $"{involved.Uid()}|{type}|{reason}|{message}";

        if (_recent.TryGetValue(key, out var existing) && now - existing.First < AggregationWindow)
        {
            var current = await client.GetAsync(Kinds.Event, existing.Namespace, existing.Name, ct);
            if (current != null)
            {
                var count = (current.Long("count") ?? 1) + 1;
                var patch = new JsonObject { ["count"] = count, ["lastTimestamp"] = stamp };
                await client.PatchAsync(Kinds.Event, existing.Namespace, existing.Name, PatchType.Merge, patch, ct: ct);
                return;
            }
        }

        // Time plus a per-recorder sequence number: unique even for bursts within one millisecond or a frozen clock.
        var name = $"{involved.Name()}.{now.ToUnixTimeMilliseconds():x}{Interlocked.Increment(ref _sequence) & 0xffff:x4}";
        var evt = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = involved.ApiVersion(),
                ["kind"] = involved.Kind(),
                ["name"] = involved.Name(),
                ["namespace"] = involved.Namespace(),
                ["uid"] = involved.Uid(),
                ["resourceVersion"] = involved.ResourceVersion(),
            },
            ["type"] = type,
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = new JsonObject { ["component"] = component },
            ["reportingComponent"] = component,
            ["reportingInstance"] = component,
            ["firstTimestamp"] = stamp,
            ["lastTimestamp"] = stamp,
            ["count"] = 1,
        };
        try
        {
            await client.CreateAsync(Kinds.Event, ns, evt, ct);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            return;
        }
        if (_recent.Count >= MaxRemembered)
            foreach (var old in _recent.Where(kv => now - kv.Value.First >= AggregationWindow).Select(kv => kv.Key).ToList())
                _recent.TryRemove(old, out _);
        if (_recent.Count < MaxRemembered) _recent[key] = (ns, name, now);
    }
}
