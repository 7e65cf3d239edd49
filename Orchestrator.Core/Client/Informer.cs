using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Client;

/// <summary>
/// A list+watch cache of one kind (all namespaces), as client-go's shared informer:
/// <list type="number">
/// <item>list, replace the cache (telling handlers what appeared, changed or vanished), mark synced;</item>
/// <item>watch from the list's resourceVersion, applying each event to the cache and then to the handlers;</item>
/// <item>when the watch ends, expires (410) or fails, go back to 1 after a short back-off.</item>
/// </list>
/// Every <see cref="ResyncPeriod"/> each cached object is re-delivered as an update, so level-triggered controllers
/// converge even after a missed edge. Cached objects are shared: never modify them (clone first).
/// </summary>
public sealed class Informer
{
    private readonly IKubeClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ImmutableArray<IInformerHandler> _handlers = [];
    private readonly ConcurrentDictionary<string, JsonObject> _cache = new(StringComparer.Ordinal);
    private readonly object _handlerGate = new();

    public Informer(IKubeClient client, ResourceKind kind, TimeProvider time, ILogger log, TimeSpan? resyncPeriod = null,
        string? fieldSelector = null)
    {
        _client = client;
        Kind = kind;
        FieldSelector = fieldSelector;
        _time = time;
        _log = log;
        ResyncPeriod = resyncPeriod ?? TimeSpan.FromMinutes(5);
    }

    public ResourceKind Kind { get; }

    public TimeSpan ResyncPeriod { get; }

    /// <summary>
    /// Restricts the cache to matching objects (an agent's pods: <c>spec.nodeName=NODE</c>); an object that stops
    /// matching arrives from the server as a deletion.
    /// </summary>
    public string? FieldSelector { get; }

    public bool HasSynced => _synced.Task.IsCompleted;

    public Task WaitForSyncAsync(CancellationToken ct) => _synced.Task.WaitAsync(ct);

    /// <summary>The cache key of an object: "namespace/name", or "name" for cluster-scoped kinds.</summary>
    public static string KeyOf(JsonObject obj) =>
        obj.Namespace() is { Length: > 0 } ns ? $"{ns}/{obj.Name()}" : obj.Name() ?? "";

    public static string KeyOf(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    public void AddHandler(IInformerHandler handler)
    {
        lock (_handlerGate)
        {
            _handlers = _handlers.Add(handler);
            // A handler added late still hears about everything already cached.
            foreach (var obj in _cache.Values) handler.OnAdd(obj);
        }
    }

    public JsonObject? Get(string? ns, string name) => _cache.GetValueOrDefault(KeyOf(ns, name));

    public JsonObject? Get(string key) => _cache.GetValueOrDefault(key);

    public IReadOnlyList<JsonObject> List() => _cache.Values.ToList();

    public IReadOnlyList<JsonObject> List(string? ns) =>
        ns == null ? List() : _cache.Values.Where(o => o.Namespace() == ns).ToList();

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        var nextResync = _time.GetUtcNow() + ResyncPeriod;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var list = await _client.ListAsync(Kind, null, fieldSelector: FieldSelector, ct: ct);
                Replace(list.Items);
                _synced.TrySetResult();
                backoff = TimeSpan.FromMilliseconds(200);
                var rv = list.ResourceVersion;
                var untilResync = nextResync - _time.GetUtcNow();
                // The resync deadline runs on the injected clock, so tests can move it by hand.
                using var resyncTimer = new CancellationTokenSource(untilResync > TimeSpan.Zero ? untilResync : TimeSpan.Zero, _time);
                using var resync = CancellationTokenSource.CreateLinkedTokenSource(ct, resyncTimer.Token);
                try
                {
                    await foreach (var e in _client.WatchAsync(Kind, null, rv, fieldSelector: FieldSelector, ct: resync.Token))
                        Apply(e);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    nextResync = _time.GetUtcNow() + ResyncPeriod;
                    Resync();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ApiException e) when (e.Code == 410)
            {
                _log.LogDebug("Watch of {Kind} expired; re-listing", Kind.Plural);
                continue;
            }
            catch (Exception e)
            {
                _log.LogWarning("List/watch of {Kind} failed: {Message}; retrying in {Delay}", Kind.Plural, e.Message, backoff);
                try
                {
                    await Task.Delay(backoff, _time, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private void Replace(IReadOnlyList<JsonObject> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in items)
        {
            var key = KeyOf(obj);
            seen.Add(key);
            if (_cache.TryGetValue(key, out var old))
            {
                _cache[key] = obj;
                if (old.ResourceVersion() != obj.ResourceVersion()) Notify(h => h.OnUpdate(old, obj));
            }
            else
            {
                _cache[key] = obj;
                Notify(h => h.OnAdd(obj));
            }
        }
        foreach (var key in _cache.Keys.Where(k => !seen.Contains(k)).ToList())
            if (_cache.TryRemove(key, out var gone)) Notify(h => h.OnDelete(gone));
    }

    private void Apply(WatchEvent e)
    {
        if (e.Kind == WatchEventKind.Bookmark) return;
        var key = KeyOf(e.Object);
        switch (e.Kind)
        {
            case WatchEventKind.Deleted:
                _cache.TryRemove(key, out _);
                Notify(h => h.OnDelete(e.Object));
                break;
            default:
                if (_cache.TryGetValue(key, out var old))
                {
                    _cache[key] = e.Object;
                    Notify(h => h.OnUpdate(old, e.Object));
                }
                else
                {
                    _cache[key] = e.Object;
                    Notify(h => h.OnAdd(e.Object));
                }
                break;
        }
    }

    private void Resync()
    {
        foreach (var obj in _cache.Values) Notify(h => h.OnUpdate(obj, obj));
    }

    private void Notify(Action<IInformerHandler> action)
    {
        foreach (var h in _handlers)
        {
            try
            {
                action(h);
            }
            catch (Exception e)
            {
                _log.LogError(e, "An informer handler for {Kind} failed", Kind.Plural);
            }
        }
    }
}
