using System.Collections.Concurrent;
using Orchestrator.Core.Client;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.DaemonSets;

/// <summary>
/// What a controller has just written and its pod cache has not shown yet. A sync that acted on a stale cache would
/// create a second pod for the same slot (or delete twice), so a controller skips managing an owner's pods until the
/// cache reflects its own writes: every created pod present, every deleted pod gone or terminating. Expectations
/// expire after <see cref="Timeout"/> so a lost watch event cannot wedge an owner. Kept per controller instance:
/// a restarted controller starts with none and reads the cache as it is.
/// </summary>
public sealed class PodExpectations(TimeProvider time)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    private sealed record Pending(List<string> Created, List<(string Name, string Uid)> Deleted, DateTimeOffset Expires);

    public void ExpectCreated(string ownerKey, string ns, string podName) =>
        Get(ownerKey).Created.Add(Informer.KeyOf(ns, podName));

    public void ExpectDeleted(string ownerKey, string ns, string podName, string uid) =>
        Get(ownerKey).Deleted.Add((Informer.KeyOf(ns, podName), uid));

    public void Forget(string ownerKey) => _pending.TryRemove(ownerKey, out _);

    /// <summary>True when the cache has caught up with this owner's writes (or they expired); then they are dropped.</summary>
    public bool Satisfied(string ownerKey, Informer pods)
    {
        if (!_pending.TryGetValue(ownerKey, out var p)) return true;
        lock (p)
        {
            var done = time.GetUtcNow() >= p.Expires ||
                       (p.Created.All(k => pods.Get(k) != null) &&
                        p.Deleted.All(d => pods.Get(d.Name) is not { } cached || cached.Uid() != d.Uid ||
                                           Pods.PodStatus.IsTerminating(cached)));
            if (done) _pending.TryRemove(ownerKey, out _);
            return done;
        }
    }

    private Pending Get(string ownerKey)
    {
        var p = _pending.GetOrAdd(ownerKey, _ => new Pending([], [], time.GetUtcNow() + Timeout));
        return p;
    }
}
