using System.Collections.Concurrent;

namespace Orchestrator.Core.Controllers.ReplicaSets;

/// <summary>
/// Pod creations and deletions a controller has issued but not yet seen in its pod informer, per controller key
/// (upstream's UID-tracking ControllerExpectations). The pod cache lags behind the API: a sync that ran right after
/// a create would otherwise count too few pods and create again. So:
/// <list type="number">
/// <item>before issuing N creates (or deleting a set of pods) the sync records them here;</item>
/// <item>informer events lower them: a pod added with this controller's ref is one creation observed; a pod deleted
///   (or marked for deletion) that was on the list is one deletion observed — each pod key counts once;</item>
/// <item>a sync only creates or deletes while nothing is outstanding, or once the record is older than
///   <see cref="Timeout"/> (an event lost for good must not wedge the controller).</item>
/// </list>
/// Creations that were never attempted or failed are lowered by the sync itself. Thread-safe.
/// </summary>
public sealed class ControllerExpectations(TimeProvider time)
{
    /// <summary>How long unobserved expectations block a controller, as upstream's ExpectationsTimeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Record> _records = new(StringComparer.Ordinal);

    /// <summary>True when the controller may act: nothing outstanding, expired, or never recorded.</summary>
    public bool Satisfied(string key)
    {
        if (!_records.TryGetValue(key, out var r)) return true;
        lock (r) return (r.Adds <= 0 && r.Deletes.Count == 0) || time.GetUtcNow() - r.Since > Timeout;
    }

    /// <summary>Replaces any earlier record: <paramref name="count"/> creations are about to be issued.</summary>
    public void ExpectCreations(string key, int count) =>
        _records[key] = new Record(count, new HashSet<string>(StringComparer.Ordinal), time.GetUtcNow());

    /// <summary>Replaces any earlier record: the pods with these keys ("namespace/name") are about to be deleted.</summary>
    public void ExpectDeletions(string key, IEnumerable<string> podKeys) =>
        _records[key] = new Record(0, new HashSet<string>(podKeys, StringComparer.Ordinal), time.GetUtcNow());

    public void CreationObserved(string key)
    {
        if (!_records.TryGetValue(key, out var r)) return;
        lock (r) r.Adds--;
    }

    /// <summary>Counts only pods this controller asked to delete, and each only once (delete event after deletionTimestamp).</summary>
    public void DeletionObserved(string key, string podKey)
    {
        if (!_records.TryGetValue(key, out var r)) return;
        lock (r) r.Deletes.Remove(podKey);
    }

    /// <summary>The controller is gone (or was replaced): forget what it waited for.</summary>
    public void Delete(string key) => _records.TryRemove(key, out _);

    /// <summary>Outstanding (creations, deletions); (0, 0) when nothing is recorded. For logs and tests.</summary>
    public (int Adds, int Deletes) Pending(string key)
    {
        if (!_records.TryGetValue(key, out var r)) return (0, 0);
        lock (r) return (Math.Max(0, r.Adds), r.Deletes.Count);
    }

    private sealed class Record(int adds, HashSet<string> deletes, DateTimeOffset since)
    {
        public int Adds = adds;
        public readonly HashSet<string> Deletes = deletes;
        public readonly DateTimeOffset Since = since;
    }
}
