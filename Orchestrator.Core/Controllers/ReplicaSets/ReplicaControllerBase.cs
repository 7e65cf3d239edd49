using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Labels;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.ReplicaSets;

/// <summary>
/// Keeps <c>spec.replicas</c> active pods for every object of one <see cref="ReplicaKind"/> (upstream's
/// ReplicaSetController, which also serves ReplicationControllers). One sync of an owner:
/// <list type="number">
/// <item>note whether the expectations of the previous sync are met (before reading the pod cache: if they are,
///   the cache holds every pod that sync created);</item>
/// <item>take the active pods of the namespace from the cache and claim them: keep ours that match, release ours
///   that no longer match, adopt matching orphans (<see cref="PodClaimer"/>);</item>
/// <item>if the expectations are met and the owner is not being deleted: create the missing pods in slow-start
///   batches, or delete the surplus in <see cref="PodDeletionOrder"/>, recording what was issued as new
///   expectations;</item>
/// <item>write the status when it differs; come back when a ready pod is due to become available.</item>
/// </list>
/// Pods that finished (Succeeded/Failed) or are terminating are not active: they neither count nor get claimed, so
/// a failed pod is replaced and left for the pod garbage collector, as upstream does.
/// </summary>
public abstract class ReplicaControllerBase : QueueController
{
    /// <summary>The most pods one sync creates or deletes, as upstream's burstReplicas.</summary>
    public const int BurstReplicas = 500;

    private readonly ReplicaKind _kind;
    private readonly Informer _owners;
    private readonly Informer _pods;
    private readonly IKubeClient _client;
    private readonly EventRecorder _events;
    private readonly PodClaimer _claimer;

    protected ReplicaControllerBase(ReplicaKind kind, InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time, ILogger log)
        : base(kind.ControllerName, time, log)
    {
        _kind = kind;
        _client = client;
        _events = events;
        _claimer = new PodClaimer(client);
        Expectations = new ControllerExpectations(time);
        _owners = informers.For(kind.Resource);
        _pods = informers.For(Kinds.Pod);
        _owners.AddHandler(new InformerHandler(OnOwnerAdded, OnOwnerUpdated, OnOwnerDeleted));
        _pods.AddHandler(new InformerHandler(OnPodAdded, OnPodUpdated, OnPodDeleted));
    }

    /// <summary>Creations and deletions issued and not yet seen in the pod cache, per owner key.</summary>
    public ControllerExpectations Expectations { get; }

    protected override IEnumerable<Informer> Informers => [_owners, _pods];

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        if (_owners.Get(key) is not { } cached)
        {
            Expectations.Delete(key);
            return;
        }
        var owner = WithTypeMeta(cached.Clone());
        LabelSelector selector;
        try
        {
            selector = _kind.SelectorOf(owner);
        }
        catch (ApiException e)
        {
            // Admission rejects such selectors; an old stored object is not worth retrying until it changes.
            Log.LogWarning("{Controller}: {Key} has an invalid selector: {Message}", Name, key, e.Message);
            return;
        }

        var mayManage = Expectations.Satisfied(key);
        var active = _pods.List(owner.Namespace()).Where(PodStatus.IsActive).ToList();
        var controlled = await _claimer.ClaimAsync(_kind.Resource, owner, selector, active, ct);

        Exception? manageError = null;
        if (mayManage && !PodStatus.IsTerminating(owner))
        {
            try
            {
                await ManageReplicasAsync(key, owner, controlled, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                manageError = e;
            }
        }
        else if (!mayManage)
        {
            var (adds, deletes) = Expectations.Pending(key);
            Log.LogDebug("{Controller}: {Key} waits for {Adds} creations and {Deletes} deletions to be observed", Name, key, adds, deletes);
        }

        var now = Time.GetUtcNow();
        await WriteStatusAsync(owner, ReplicaStatus.Calculate(owner, controlled, manageError, now), ct);
        if (manageError != null) ExceptionDispatchInfo.Capture(manageError).Throw(); // retried with back-off
        if (ReplicaStatus.NextAvailabilityCheck(owner, controlled, now) is { } wait) Queue.AddAfter(key, wait);
    }

    private async Task ManageReplicasAsync(string key, JsonObject owner, List<JsonObject> controlled, CancellationToken ct)
    {
        var desired = (int)Math.Clamp(owner["spec"].Long("replicas") ?? 1, 0, int.MaxValue);
        var diff = controlled.Count - desired;
        if (diff < 0)
        {
            var toCreate = Math.Min(-diff, BurstReplicas);
            // Recorded before the first call: the informer may report a new pod before CreateAsync returns.
            Expectations.ExpectCreations(key, toCreate);
            Log.LogDebug("{Controller}: {Key} has {Have} of {Want} pods; creating {Count}", Name, key, controlled.Count, desired, toCreate);
            var (created, error) = await SlowStart.RunAsync(toCreate, () => CreatePodAsync(owner, ct));
            // Calls never made, or failed, will never show up in the cache.
            for (var i = created; i < toCreate; i++) Expectations.CreationObserved(key);
            if (error != null) ExceptionDispatchInfo.Capture(error).Throw();
        }
        else if (diff > 0)
        {
            var victims = PodDeletionOrder.Select(controlled, RelatedPods(owner), Math.Min(diff, BurstReplicas), Time.GetUtcNow());
            Expectations.ExpectDeletions(key, victims.Select(Informer.KeyOf));
            Log.LogDebug("{Controller}: {Key} has {Have} of {Want} pods; deleting {Count}", Name, key, controlled.Count, desired, victims.Count);
            var errors = await Task.WhenAll(victims.Select(p => DeletePodAsync(key, owner, p, ct)));
            if (errors.FirstOrDefault(e => e != null) is { } error) ExceptionDispatchInfo.Capture(error).Throw();
        }
    }

    private async Task CreatePodAsync(JsonObject owner, CancellationToken ct)
    {
        var template = owner["spec"]?["template"] as JsonObject ?? new JsonObject();
        var pod = PodTemplates.NewPod(template, owner, PodTemplates.GenerateNamePrefix(owner.Name()!));
        JsonObject created;
        try
        {
            created = await _client.CreateAsync(Kinds.Pod, owner.Namespace(), pod, ct);
        }
        catch (ApiException e) when (e.Code == 403 && e.Message.Contains("being terminated", StringComparison.Ordinal))
        {
            // Whatever is created now would be deleted with the namespace: nothing to do, and nothing to report.
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await _events.RecordAsync(owner, EventRecorder.Warning, "FailedCreate", $"Error creating: {e.Message}", ct);
            throw;
        }
        await _events.RecordAsync(owner, EventRecorder.Normal, "SuccessfulCreate", $"Created pod: {created.Name()}", ct);
    }

    /// <summary>Deletes one pod; returns the error instead of throwing so that the others still go.</summary>
    private async Task<Exception?> DeletePodAsync(string key, JsonObject owner, JsonObject pod, CancellationToken ct)
    {
        var podKey = Informer.KeyOf(pod);
        try
        {
            // The uid precondition keeps a pod re-created under the same name safe.
            await _client.DeleteAsync(Kinds.Pod, pod.Namespace(), pod.Name()!, new DeleteRequest(PreconditionUid: pod.Uid()), ct);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Already gone (or the name now belongs to another pod): no deletion event of ours will come.
            Expectations.DeletionObserved(key, podKey);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Expectations.DeletionObserved(key, podKey);
            await _events.RecordAsync(owner, EventRecorder.Warning, "FailedDelete", $"Error deleting: {e.Message}", ct);
            return e;
        }
        await _events.RecordAsync(owner, EventRecorder.Normal, "SuccessfulDelete", $"Deleted pod: {pod.Name()}", ct);
        return null;
    }

    /// <summary>
    /// Writes the status when it differs from the cached one. A conflict (the cache was behind) is retried once on
    /// the stored object, keeping the observedGeneration this sync acted on; a second conflict fails the sync.
    /// </summary>
    private async Task WriteStatusAsync(JsonObject owner, JsonObject status, CancellationToken ct)
    {
        if (JsonNode.DeepEquals(owner["status"], status)) return;
        var target = owner;
        for (var attempt = 0; ; attempt++)
        {
            target["status"] = status.DeepClone();
            try
            {
                await _client.UpdateStatusAsync(_kind.Resource, target, ct);
                return;
            }
            catch (ApiException e) when (e.Code == 404)
            {
                return; // deleted meanwhile; its delete event ends the story
            }
            catch (ApiException e) when (e.Code == 409 && attempt == 0)
            {
                var fresh = await _client.GetAsync(_kind.Resource, owner.Namespace(), owner.Name()!, ct);
                if (fresh == null || fresh.Uid() != owner.Uid()) return;
                target = fresh;
            }
        }
    }

    /// <summary>
    /// Pods of every object of this kind controlled by the same controller as <paramref name="owner"/> (a
    /// Deployment's ReplicaSets): the deletion order spreads what stays across nodes by them. None for a standalone owner.
    /// </summary>
    private List<JsonObject> RelatedPods(JsonObject owner)
    {
        var related = new List<JsonObject>();
        if (OwnerReferences.ControllerOf(owner)?.Str("uid") is not { } controllerUid) return related;
        var pods = _pods.List(owner.Namespace());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sibling in _owners.List(owner.Namespace()))
        {
            if (OwnerReferences.ControllerOf(sibling)?.Str("uid") != controllerUid || TrySelector(sibling) is not { } selector) continue;
            foreach (var pod in pods)
                if (selector.Matches(pod.Labels()) && seen.Add(pod.Uid() ?? Informer.KeyOf(pod))) related.Add(pod);
        }
        return related;
    }

    // ---- informer handlers: they only enqueue keys and settle expectations ------------------------------------

    private void OnOwnerAdded(JsonObject owner) => Queue.Add(Informer.KeyOf(owner));

    private void OnOwnerUpdated(JsonObject old, JsonObject current)
    {
        // A delete and re-create under one name can arrive as one update: the old object's expectations are moot.
        if (old.Uid() != current.Uid()) Expectations.Delete(Informer.KeyOf(old));
        Queue.Add(Informer.KeyOf(current));
    }

    private void OnOwnerDeleted(JsonObject owner)
    {
        var key = Informer.KeyOf(owner);
        Expectations.Delete(key);
        Queue.Add(key);
    }

    private void OnPodAdded(JsonObject pod)
    {
        if (PodStatus.IsTerminating(pod))
        {
            // Seen for the first time already terminating (e.g. after a re-list): for us it is as good as deleted.
            OnPodDeleted(pod);
            return;
        }
        if (OwnerReferences.ControllerOf(pod) is { } controllerRef)
        {
            if (ResolveOwner(pod.Namespace(), controllerRef) is not { } owner) return;
            var key = Informer.KeyOf(owner);
            Expectations.CreationObserved(key);
            Queue.Add(key);
            return;
        }
        // An orphan: every owner that selects it may want to adopt it. No creation is observed: nobody made it.
        EnqueueSelecting(pod);
    }

    private void OnPodUpdated(JsonObject old, JsonObject current)
    {
        // Periodic resyncs re-deliver unchanged pods; the owners' own resync already covers them.
        if (old.ResourceVersion() == current.ResourceVersion()) return;
        var labelsChanged = !SameLabels(old, current);
        if (PodStatus.IsTerminating(current))
        {
            // Marked for deletion: it stops counting now, so its owner can replace it without waiting for the kubelet.
            OnPodDeleted(current);
            if (labelsChanged) OnPodDeleted(old);
            return;
        }
        var oldRef = OwnerReferences.ControllerOf(old);
        var currentRef = OwnerReferences.ControllerOf(current);
        var refChanged = oldRef?.Str("uid") != currentRef?.Str("uid");
        if (refChanged && oldRef != null && ResolveOwner(old.Namespace(), oldRef) is { } previous)
            Queue.Add(Informer.KeyOf(previous)); // released (or taken): its old owner recounts
        if (currentRef != null)
        {
            if (ResolveOwner(current.Namespace(), currentRef) is { } owner) Queue.Add(Informer.KeyOf(owner));
            return;
        }
        if (labelsChanged || refChanged) EnqueueSelecting(current);
    }

    private void OnPodDeleted(JsonObject pod)
    {
        if (OwnerReferences.ControllerOf(pod) is not { } controllerRef) return;
        if (ResolveOwner(pod.Namespace(), controllerRef) is not { } owner) return;
        var key = Informer.KeyOf(owner);
        Expectations.DeletionObserved(key, Informer.KeyOf(pod));
        Queue.Add(key);
    }

    /// <summary>The cached owner a controller reference points to, if it is of this kind and the very same object (uid).</summary>
    private JsonObject? ResolveOwner(string? ns, JsonObject controllerRef)
    {
        if (controllerRef.Str("kind") != _kind.Resource.Kind) return null;
        var apiVersion = controllerRef.Str("apiVersion") ?? "";
        var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
        if (group != _kind.Resource.Group) return null;
        var owner = controllerRef.Str("name") is { } name ? _owners.Get(ns, name) : null;
        return owner != null && owner.Uid() == controllerRef.Str("uid") ? owner : null;
    }

    private void EnqueueSelecting(JsonObject pod)
    {
        var labels = pod.Labels();
        foreach (var owner in _owners.List(pod.Namespace()))
            if (TrySelector(owner)?.Matches(labels) == true) Queue.Add(Informer.KeyOf(owner));
    }

    private LabelSelector? TrySelector(JsonObject owner)
    {
        try
        {
            return _kind.SelectorOf(owner);
        }
        catch (ApiException)
        {
            return null;
        }
    }

    private static bool SameLabels(JsonObject a, JsonObject b) =>
        JsonNode.DeepEquals(a["metadata"]?["labels"], b["metadata"]?["labels"]);

    /// <summary>Events and ownerReferences need apiVersion and kind, which a cached object may lack.</summary>
    private JsonObject WithTypeMeta(JsonObject owner)
    {
        if (owner.ApiVersion() is not { Length: > 0 }) owner["apiVersion"] = _kind.Resource.ApiVersion;
        if (owner.Kind() is not { Length: > 0 }) owner["kind"] = _kind.Resource.Kind;
        return owner;
    }
}
