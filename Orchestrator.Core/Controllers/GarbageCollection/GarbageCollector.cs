using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Core.Controllers.Pods;

namespace Orchestrator.Core.Controllers.GarbageCollection;

/// <summary>
/// Deletes what nobody owns any more and carries out foreground and orphan deletion, as upstream's garbage collector.
/// Informers over every kind of the catalog feed an <see cref="OwnerGraph"/> (uid → dependents); the work queue holds
/// "group/plural|namespace/name" keys. A sync of one object does exactly one of:
/// <list type="number">
/// <item>deleting with the <c>orphan</c> finalizer: remove the ownerReferences to it from every dependent, then the
///   finalizer (the registry then deletes it);</item>
/// <item>deleting with the <c>foregroundDeletion</c> finalizer: queue every dependent for deletion; once no dependent
///   with <c>blockOwnerDeletion: true</c> is left, remove the finalizer;</item>
/// <item>not deleting, with ownerReferences: classify each owner (solid, dangling, waiting for dependents deletion);
///   with a solid owner the object stays (dangling references are dropped, references to waiting owners stop
///   blocking them); otherwise it is deleted — in the foreground when an owner waits and it has dependents of its own,
///   else with the propagation its own finalizers ask for, else in the background.</item>
/// </list>
/// An owner missing from the caches is looked up live before a dependent is deleted: caches may lag behind a freshly
/// created owner. Dependents are those in the owner's namespace (any namespace for a cluster-scoped owner).
/// </summary>
public sealed class GarbageCollector : QueueController
{
    private readonly IKubeClient _client;
    private readonly OwnerGraph _graph = new();
    private readonly Dictionary<string, Informer> _informers = new(StringComparer.Ordinal);

    public GarbageCollector(InformerFactory informers, IKubeClient client, TimeProvider time, ILogger<GarbageCollector> log)
        : base("garbage-collector", time, log, workers: 4)
    {
        _client = client;
        foreach (var kind in ResourceCatalog.Default.Kinds)
        {
            var informer = informers.For(kind);
            _informers[KindId(kind)] = informer;
            informer.AddHandler(new InformerHandler(
                o => Observe(kind, null, o),
                (old, o) => Observe(kind, old, o),
                o => Vanished(o)));
        }
    }

    /// <summary>The graph as the informers have built it (tests and diagnostics).</summary>
    public OwnerGraph Graph => _graph;

    protected override IEnumerable<Informer> Informers => _informers.Values;

    private static string KindId(ResourceKind kind) => $"{kind.Group}/{kind.Plural}";

    private static string QueueKeyOf(ResourceKind kind, string? ns, string name) => $"{KindId(kind)}|{Informer.KeyOf(ns, name)}";

    // ---- graph maintenance (informer loops: quick, enqueue only) -------------------------------------------------

    private void Observe(ResourceKind kind, JsonObject? old, JsonObject obj)
    {
        var uid = obj.Uid();
        if (string.IsNullOrEmpty(uid) || obj.Name() is not { } name) return;
        if (old?.Uid() is { Length: > 0 } oldUid && oldUid != uid) Vanished(old); // replaced under the same name

        var ns = kind.Namespaced ? obj.Namespace() : null;
        var node = new OwnerGraphNode(kind, ns, name, uid, QueueKeyOf(kind, ns, name),
            OwnerReferences.All(obj).Select(r => r.Str("uid")).OfType<string>().Distinct().ToList(),
            Finalizers.IsDeleting(obj) && Finalizers.Has(obj, Finalizers.ForegroundDeletion),
            Finalizers.AwaitsCollector(obj));
        var previous = _graph.Upsert(node);
        if (node.OwnerUids.Count > 0 || node.AwaitsCollector) Queue.Add(node.QueueKey);
        // An owner waiting on its dependents re-checks on every change of one (a dropped reference may unblock it).
        EnqueueWaitingOwners(node.OwnerUids);
        if (previous != null) EnqueueWaitingOwners(previous.OwnerUids);
    }

    private void Vanished(JsonObject obj)
    {
        if (obj.Uid() is not { Length: > 0 } uid) return;
        var removed = _graph.Remove(uid);
        // Its dependents may now be orphans: each gets classified again.
        foreach (var dependent in _graph.DependentsOf(uid)) Queue.Add(dependent.QueueKey);
        EnqueueWaitingOwners(removed?.OwnerUids ?? OwnerReferences.All(obj).Select(r => r.Str("uid")).OfType<string>().ToList());
    }

    private void EnqueueWaitingOwners(IEnumerable<string> ownerUids)
    {
        foreach (var uid in ownerUids)
            if (_graph.Get(uid) is { AwaitsCollector: true } owner) Queue.Add(owner.QueueKey);
    }

    // ---- sync ------------------------------------------------------------------------------------------------

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        var bar = key.IndexOf('|');
        if (bar < 0 || !_informers.TryGetValue(key[..bar], out var informer)) return;
        var obj = informer.Get(key[(bar + 1)..]);
        if (obj == null) return; // gone; its dependents were queued when it vanished
        var kind = informer.Kind;

        if (Finalizers.IsDeleting(obj))
        {
            if (Finalizers.Has(obj, Finalizers.Orphan)) await OrphanDependentsAsync(kind, obj, ct);
            else if (Finalizers.Has(obj, Finalizers.ForegroundDeletion)) await ProcessDeletingDependentsAsync(kind, obj, ct);
            return; // otherwise someone else's deletion is under way
        }
        await AttemptToDeleteAsync(kind, obj, ct);
    }

    private async Task AttemptToDeleteAsync(ResourceKind kind, JsonObject obj, CancellationToken ct, bool live = false)
    {
        var refs = OwnerReferences.All(obj).ToList();
        if (refs.Count == 0) return;
        var solid = 0;
        var dangling = new HashSet<string>(StringComparer.Ordinal);
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in refs)
        {
            if (r.Str("uid") is not { Length: > 0 } uid) continue;
            switch (await ClassifyAsync(kind, obj, r, ct))
            {
                case OwnerState.Solid: solid++; break;
                case OwnerState.Dangling: dangling.Add(uid); break;
                default: waiting.Add(uid); break;
            }
        }

        if (!live && (dangling.Count > 0 || waiting.Count > 0))
        {
            // About to write on the strength of a cached copy. The cache may lag: an orphaning owner may have just
            // dropped its reference (and then vanished, so it now looks dangling). Decide on the live object instead.
            var current = await _client.GetAsync(kind, obj.Namespace(), obj.Name()!, ct);
            if (current?.Uid() != obj.Uid() || Finalizers.IsDeleting(current!)) return;
            await AttemptToDeleteAsync(kind, current!, ct, live: true);
            return;
        }

        if (solid > 0)
        {
            // It stays. References to vanished owners go; owners deleted in the foreground must not wait for it.
            if (dangling.Count > 0 || waiting.Count > 0) await RewriteReferencesAsync(kind, obj, dangling, waiting, ct);
            return;
        }
        if (dangling.Count == 0 && waiting.Count == 0) return; // only unreadable references: nothing to decide

        if (waiting.Count > 0 && DependentsOf(kind, obj).Count > 0)
        {
            // The owner's wait must cover the whole subtree: this object goes in the foreground too. A dependent that
            // itself waits on its dependents hints at a cycle; unblock our owners first so it cannot deadlock.
            if (DependentsOf(kind, obj).Any(d => d.DeletingDependents))
                await RewriteReferencesAsync(kind, obj, new HashSet<string>(), waiting, ct);
            await DeleteAsync(kind, obj, "Foreground", ct);
            return;
        }
        var policy = Finalizers.Has(obj, Finalizers.Orphan) ? "Orphan"
            : Finalizers.Has(obj, Finalizers.ForegroundDeletion) ? "Foreground"
            : "Background";
        await DeleteAsync(kind, obj, policy, ct);
    }

    private async Task<OwnerState> ClassifyAsync(ResourceKind kind, JsonObject obj, JsonObject reference, CancellationToken ct)
    {
        var uid = reference.Str("uid")!;
        var ownerKind = FindKind(reference.Str("apiVersion"), reference.Str("kind"));
        // A kind this server does not serve, or a namespaced owner named by a cluster-scoped object (invalid):
        // the owner cannot be looked up, so the object is left alone, as upstream does.
        if (ownerKind == null || (ownerKind.Namespaced && !kind.Namespaced)) return OwnerState.Solid;
        var ns = ownerKind.Namespaced ? obj.Namespace() : null;

        JsonObject? owner = null;
        if (_graph.Get(uid) is { } node && KindId(node.Kind) == KindId(ownerKind) && node.Namespace == ns)
            owner = _informers[KindId(ownerKind)].Get(ns, node.Name);
        if (owner?.Uid() != uid)
        {
            // Not in the caches. They may lag behind a freshly created owner: ask the server before calling it gone.
            if (reference.Str("name") is not { Length: > 0 } name) return OwnerState.Dangling;
            owner = await _client.GetAsync(ownerKind, ns, name, ct);
            if (owner?.Uid() != uid) return OwnerState.Dangling;
        }
        return Finalizers.IsDeleting(owner!) && Finalizers.Has(owner!, Finalizers.ForegroundDeletion)
            ? OwnerState.WaitingForDependentsDeletion
            : OwnerState.Solid;
    }

    private async Task ProcessDeletingDependentsAsync(ResourceKind kind, JsonObject owner, CancellationToken ct)
    {
        var blocking = 0;
        foreach (var dep in DependentsOf(kind, owner))
        {
            var depObj = _informers[KindId(dep.Kind)].Get(dep.Namespace, dep.Name);
            if (depObj?.Uid() != dep.Uid) continue;
            var reference = OwnerReferences.All(depObj!).FirstOrDefault(r => r.Str("uid") == owner.Uid());
            if (reference == null) continue;
            if (reference.Bool("blockOwnerDeletion") == true) blocking++;
            if (!Finalizers.IsDeleting(depObj!)) Queue.Add(dep.QueueKey); // its own sync deletes it
        }
        // Non-blocking dependents are deleted too, but the owner does not wait for them. Blocking ones report back
        // when they change or vanish (EnqueueWaitingOwners).
        if (blocking > 0) return;
        Log.LogDebug("{Kind} {Name}: no blocking dependents left; removing {Finalizer}", kind.Kind, Informer.KeyOf(owner), Finalizers.ForegroundDeletion);
        await RemoveFinalizerAsync(kind, owner, Finalizers.ForegroundDeletion, ct);
    }

    private async Task OrphanDependentsAsync(ResourceKind kind, JsonObject owner, CancellationToken ct)
    {
        var uid = owner.Uid()!;
        foreach (var dep in DependentsOf(kind, owner))
        {
            await ObjectUpdater.UpdateAsync(_client, dep.Kind, dep.Namespace, dep.Name,
                live => live.Uid() == dep.Uid && RemoveReferences(live, r => r.Str("uid") == uid), ct);
        }
        Log.LogDebug("{Kind} {Name}: dependents orphaned; removing {Finalizer}", kind.Kind, Informer.KeyOf(owner), Finalizers.Orphan);
        await RemoveFinalizerAsync(kind, owner, Finalizers.Orphan, ct);
    }

    // ---- writes ----------------------------------------------------------------------------------------------

    private async Task RewriteReferencesAsync(ResourceKind kind, JsonObject obj, IReadOnlySet<string> dangling, IReadOnlySet<string> waiting, CancellationToken ct)
    {
        var uid = obj.Uid();
        await ObjectUpdater.UpdateAsync(_client, kind, obj.Namespace(), obj.Name()!, live =>
        {
            if (live.Uid() != uid) return false;
            var changed = RemoveReferences(live, r => r.Str("uid") is { } u && dangling.Contains(u));
            foreach (var r in OwnerReferences.All(live))
            {
                if (r.Str("uid") is { } u && waiting.Contains(u) && r.Bool("blockOwnerDeletion") == true)
                {
                    r["blockOwnerDeletion"] = false;
                    changed = true;
                }
            }
            return changed;
        }, ct);
    }

    private static bool RemoveReferences(JsonObject obj, Func<JsonObject, bool> match)
    {
        if (obj["metadata"]?["ownerReferences"] is not JsonArray refs) return false;
        var kept = refs.Where(r => r is not JsonObject o || !match(o)).Select(r => r?.DeepClone()).ToArray();
        if (kept.Length == refs.Count) return false;
        if (kept.Length == 0) obj.Metadata().Remove("ownerReferences");
        else obj.Metadata()["ownerReferences"] = new JsonArray(kept);
        return true;
    }

    private async Task RemoveFinalizerAsync(ResourceKind kind, JsonObject obj, string finalizer, CancellationToken ct)
    {
        var uid = obj.Uid();
        var updated = await ObjectUpdater.UpdateAsync(_client, kind, obj.Namespace(), obj.Name()!,
            live => live.Uid() == uid && Finalizers.Remove(live, finalizer), ct);
        // The registry deletes an object once its last finalizer goes, except pods: a pod on a node waits for the node
        // to confirm. A pod nobody will confirm (never bound, finished, or already confirmed with grace 0) goes now.
        if (updated != null && kind == Kinds.Pod && Finalizers.IsDeleting(updated) && !Finalizers.All(updated).Any() &&
            (!PodStatus.IsScheduled(updated) || PodStatus.Phase(updated) is "Succeeded" or "Failed" ||
             updated["metadata"].Long("deletionGracePeriodSeconds") == 0))
        {
            await DeleteAsync(kind, updated, null, ct, gracePeriodSeconds: 0);
        }
    }

    private async Task DeleteAsync(ResourceKind kind, JsonObject obj, string? policy, CancellationToken ct, long? gracePeriodSeconds = null)
    {
        try
        {
            await _client.DeleteAsync(kind, obj.Namespace(), obj.Name()!, new DeleteRequest(policy, gracePeriodSeconds, obj.Uid()), ct);
            Log.LogDebug("Deleted {Kind} {Name} (propagation {Policy})", kind.Kind, Informer.KeyOf(obj), policy ?? "default");
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Already gone, or replaced by a new object of the same name (the uid precondition failed).
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /// <summary>The graph's dependents of <paramref name="owner"/> that can really belong to it (same namespace).</summary>
    private IReadOnlyList<OwnerGraphNode> DependentsOf(ResourceKind kind, JsonObject owner)
    {
        var all = _graph.DependentsOf(owner.Uid() ?? "");
        return kind.Namespaced ? all.Where(d => d.Namespace == owner.Namespace()).ToList() : all;
    }

    /// <summary>The kind an ownerReference names; an old version of a served group/kind resolves to the served one.</summary>
    private static ResourceKind? FindKind(string? apiVersion, string? kind)
    {
        if (ResourceCatalog.Default.FindByApiVersionKind(apiVersion, kind) is { } exact) return exact;
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind)) return null;
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        return ResourceCatalog.Default.Kinds.FirstOrDefault(k => k.Group == group && k.Kind == kind);
    }
}
