using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// The pods bound to this node by uid, fed by the pod informer. Work is keyed by uid (Docker containers carry the
/// uid, and a pod recreated under the same name is another pod), so this index answers "which pod is uid X" and
/// remembers uids whose deletion we saw (their containers go at once, not after the orphan grace period).
/// </summary>
public sealed class NodePodIndex
{
    private readonly ConcurrentDictionary<string, JsonObject> _pods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _deleted = new(StringComparer.Ordinal);
    private volatile bool _synced;

    /// <summary>True once the informer listed the node's pods: before that an absent uid proves nothing.</summary>
    public bool Synced => _synced;

    public void MarkSynced() => _synced = true;

    public JsonObject? Get(string uid) => _pods.GetValueOrDefault(uid);

    public IReadOnlyCollection<string> Uids => _pods.Keys.ToList();

    public void Upsert(JsonObject pod)
    {
        if (pod.Uid() is { Length: > 0 } uid)
        {
            _pods[uid] = pod;
            _deleted.TryRemove(uid, out _);
        }
    }

    /// <summary>The pod left the node (deleted, or no longer bound here).</summary>
    public void Remove(JsonObject pod)
    {
        if (pod.Uid() is not { Length: > 0 } uid) return;
        _pods.TryRemove(uid, out _);
        _deleted[uid] = 0;
    }

    public bool WasDeleted(string uid) => _deleted.ContainsKey(uid);

    public void Forget(string uid) => _deleted.TryRemove(uid, out _);
}
