namespace Orchestrator.Core.Storage;

/// <summary>
/// A change recorded in the revision log. <see cref="Previous"/> is the object before the change (null for
/// creations), so that watchers filtering by selectors can tell an object that stopped matching (DELETED for them)
/// from one that started matching (ADDED for them).
/// </summary>
public sealed record StoreEvent(WatchEventType Type, string Key, long Revision, byte[] Object, byte[]? Previous);
