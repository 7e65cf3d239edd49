namespace Orchestrator.Core.Controllers.GarbageCollection;

/// <summary>
/// The ownership graph the garbage collector walks: every watched object by uid, and for each uid the objects that
/// name it in their ownerReferences. Owners need not be present: a dependent may point at a uid nobody holds (a
/// deleted owner, or one the caches have not seen yet). Fed by informer handlers of many kinds at once, read by the
/// workers; one lock guards both maps ("coarse locking is simple").
/// </summary>
public sealed class OwnerGraph
{
    private readonly object _gate = new();
    private readonly Dictionary<string, OwnerGraphNode> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _dependents = new(StringComparer.Ordinal);

    public int Count
    {
        get { lock (_gate) return _byUid.Count; }
    }

    /// <summary>Adds or replaces a node; returns the previous version (null when new).</summary>
    public OwnerGraphNode? Upsert(OwnerGraphNode node)
    {
        lock (_gate)
        {
            _byUid.TryGetValue(node.Uid, out var old);
            if (old != null) Unlink(old);
            _byUid[node.Uid] = node;
            foreach (var owner in node.OwnerUids)
            {
                if (!_dependents.TryGetValue(owner, out var set)) _dependents[owner] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(node.Uid);
            }
            return old;
        }
    }

    /// <summary>Removes a node; returns it (null when unknown). Its dependents keep pointing at the uid.</summary>
    public OwnerGraphNode? Remove(string uid)
    {
        lock (_gate)
        {
            if (!_byUid.Remove(uid, out var old)) return null;
            Unlink(old);
            return old;
        }
    }

    public OwnerGraphNode? Get(string uid)
    {
        lock (_gate) return _byUid.GetValueOrDefault(uid);
    }

    /// <summary>Every known object naming <paramref name="ownerUid"/> as an owner.</summary>
    public IReadOnlyList<OwnerGraphNode> DependentsOf(string ownerUid)
    {
        lock (_gate)
        {
            if (!_dependents.TryGetValue(ownerUid, out var set)) return [];
            return set.Select(u => _byUid.GetValueOrDefault(u)).OfType<OwnerGraphNode>().ToList();
        }
    }

    private void Unlink(OwnerGraphNode node)
    {
        foreach (var owner in node.OwnerUids)
        {
            if (!_dependents.TryGetValue(owner, out var set)) continue;
            set.Remove(node.Uid);
            if (set.Count == 0) _dependents.Remove(owner);
        }
    }
}
