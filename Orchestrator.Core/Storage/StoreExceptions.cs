namespace Orchestrator.Core.Storage;

/// <summary>Base of the storage failures the REST layer turns into Kubernetes Status errors.</summary>
public abstract class StoreException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}

/// <summary>Create of a key that exists (409 AlreadyExists).</summary>
public sealed class KeyExistsException(string key) : StoreException(key, $"key {key} already exists");

/// <summary>Update or delete of a key that does not exist (404 NotFound).</summary>
public sealed class KeyNotFoundStoreException(string key) : StoreException(key, $"key {key} not found");

/// <summary>Compare-and-swap failed: the object changed since the revision the caller read (409 Conflict).</summary>
public sealed class RevisionConflictException(string key, long expected, long actual)
    : StoreException(key, $"key {key} is at revision {actual}, not {expected}")
{
    public long Expected { get; } = expected;
    public long Actual { get; } = actual;
}

/// <summary>A watch asked for revisions that compaction has removed (410 Gone / Expired).</summary>
public sealed class RevisionCompactedException(long requested, long compacted)
    : StoreException("", $"too old resource version: {requested} ({compacted})")
{
    public long Requested { get; } = requested;
    public long Compacted { get; } = compacted;
}
