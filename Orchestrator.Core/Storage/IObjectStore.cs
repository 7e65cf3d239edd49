using System.Text.Json.Nodes;

namespace Orchestrator.Core.Storage;

/// <summary>
/// The storage seam: a revision log whose revision is every object's resourceVersion.
/// Writes are compare-and-swap; reads see a consistent snapshot; watches start at any retained revision.
/// Keys look like "/core/pods/default/web-1" (see ResourceKind.KeyFor).
/// </summary>
public interface IObjectStore : IDisposable
{
    /// <summary>The revision of the last committed write.</summary>
    long CurrentRevision { get; }

    /// <summary>Revisions at or below this are gone from the log; watches from them get 410.</summary>
    long CompactedRevision { get; }

    StoredObject? Get(string key);

    /// <summary>All objects whose key starts with the prefix, ordered by key, and the revision the snapshot is at.</summary>
    (IReadOnlyList<StoredObject> Items, long Revision) List(string prefix);

    /// <summary>Stores a new object; sets its metadata.resourceVersion to the new revision.</summary>
    Task<StoredObject> CreateAsync(string key, JsonObject obj, CancellationToken ct = default);

    /// <summary>Replaces an object if it is still at <paramref name="expectedRevision"/>.</summary>
    Task<StoredObject> UpdateAsync(string key, JsonObject obj, long expectedRevision, CancellationToken ct = default);

    /// <summary>Removes an object (if still at the expected revision, when given); returns its last state at the delete revision.</summary>
    Task<StoredObject> DeleteAsync(string key, long? expectedRevision = null, CancellationToken ct = default);

    /// <summary>
    /// Watches keys under a prefix for changes after <paramref name="afterRevision"/>: retained history first, then live
    /// changes, with no gap and no duplicate.
    /// </summary>
    Task<IWatchSubscription> WatchAsync(string prefix, long afterRevision, CancellationToken ct = default);

    /// <summary>Drops log history at or below the revision (never the current state).</summary>
    Task CompactAsync(long revision, CancellationToken ct = default);
}
