using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Labels;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Deployments;

/// <summary>
/// The apps/v1 Deployment controller. It manages ReplicaSets only (the ReplicaSet controller turns them into pods):
/// one ReplicaSet per pod template, named <c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>, scaled by the strategy.
/// Each reconcile (<see cref="SyncAsync"/>):
/// <list type="number">
/// <item>claims the ReplicaSets: adopts matching orphans, releases owned ones whose labels no longer match;</item>
/// <item>a deployment being deleted only gets its status refreshed;</item>
/// <item>records pause/resume in the Progressing condition;</item>
/// <item>paused, or resized since the ReplicaSets were last scaled: scales (proportionally) without rolling;</item>
/// <item>otherwise takes one step of its strategy (RollingUpdate or Recreate) and writes status.</item>
/// </list>
/// The pod informer is read for Recreate only, which must see old pods gone before it starts new ones.
/// </summary>
public sealed class DeploymentController : QueueController
{
    private readonly Informer _deployments;
    private readonly Informer _replicaSets;
    private readonly Informer _pods;
    private readonly IKubeClient _client;
    private readonly EventRecorder _events;

    public DeploymentController(InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time, ILogger<DeploymentController> log)
        : base("deployment-controller", time, log)
    {
        _client = client;
        _events = events;
        _deployments = informers.For(Kinds.Deployment);
        _replicaSets = informers.For(Kinds.ReplicaSet);
        _pods = informers.For(Kinds.Pod);
        _deployments.AddHandler(InformerHandler.Any(d => Queue.Add(Informer.KeyOf(d))));
        _replicaSets.AddHandler(new InformerHandler(OnReplicaSetAdded, OnReplicaSetUpdated, OnReplicaSetDeleted));
        _pods.AddHandler(new InformerHandler(onUpdate: OnPodUpdated, onDelete: OnPodDeleted));
    }

    protected override IEnumerable<Informer> Informers => [_deployments, _replicaSets, _pods];

    protected override async Task SyncAsync(string key, CancellationToken ct)
    {
        if (_deployments.Get(key) is not { } cached) return; // deleted; the garbage collector takes its ReplicaSets
        var d = cached.Clone();

        if (SelectsEverything(d))
        {
            await _events.RecordAsync(d, EventRecorder.Warning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.", ct);
            if ((d["status"].Long("observedGeneration") ?? 0) < (d["metadata"].Long("generation") ?? 0))
            {
                d.Obj("status")["observedGeneration"] = d["metadata"].Long("generation");
                await _client.UpdateStatusAsync(Kinds.Deployment, d, ct);
            }
            return;
        }

        var owned = await ClaimReplicaSetsAsync(d, ct);
        var sync = new DeploymentSync(d, owned, _client, _events, Time, Log, _pods, after => Queue.AddAfter(key, after));

        if (OwnedReplicaSets.IsDeleting(d))
        {
            await sync.SyncStatusOnlyAsync(ct);
            return;
        }
        await sync.CheckPausedConditionsAsync(ct);
        if (sync.D["spec"].Bool("paused") == true || await sync.IsScalingEventAsync(ct))
        {
            await sync.SyncScaleAsync(ct);
            return;
        }
        if (RolloutBounds.StrategyType(sync.D) == RolloutBounds.Recreate) await sync.RolloutRecreateAsync(ct);
        else await sync.RolloutRollingAsync(ct);
    }

    private static bool SelectsEverything(JsonObject d) =>
        d["spec"]?["selector"] is JsonObject selector &&
        selector["matchLabels"] is not JsonObject { Count: > 0 } &&
        selector["matchExpressions"] is not JsonArray { Count: > 0 };

    // ---- claiming ReplicaSets, as the ReplicaSet controller claims pods ------------------------------------------

    /// <summary>
    /// The ReplicaSets this deployment controls, after adopting orphans its selector matches and releasing those it
    /// controls but no longer matches. ReplicaSets controlled by someone else are never touched.
    /// </summary>
    private async Task<List<JsonObject>> ClaimReplicaSetsAsync(JsonObject d, CancellationToken ct)
    {
        var selector = LabelSelector.FromJson(d["spec"]?["selector"]);
        var deleting = OwnedReplicaSets.IsDeleting(d);
        var owned = new List<JsonObject>();
        bool? canAdopt = null;
        foreach (var rs in _replicaSets.List(d.Namespace()))
        {
            var matches = selector.Matches(rs.Labels());
            if (OwnerReferences.ControllerOf(rs) is { } owner)
            {
                if (owner.Str("uid") != d.Uid()) continue;
                if (matches) owned.Add(rs.Clone());
                else if (!deleting) await ReleaseAsync(rs, d, ct);
                continue;
            }
            if (deleting || !matches || OwnedReplicaSets.IsDeleting(rs)) continue;
            // Adopt only on behalf of a deployment that still exists as we know it (checked once, against the server).
            canAdopt ??= await CanAdoptAsync(d, ct);
            if (!canAdopt.Value) continue;
            if (await AdoptAsync(rs, d, ct) is { } adopted) owned.Add(adopted);
        }
        return owned;
    }

    private async Task<bool> CanAdoptAsync(JsonObject d, CancellationToken ct)
    {
        var fresh = await _client.GetAsync(Kinds.Deployment, d.Namespace(), d.Name()!, ct);
        return fresh != null && fresh.Uid() == d.Uid() && !OwnedReplicaSets.IsDeleting(fresh);
    }

    private async Task<JsonObject?> AdoptAsync(JsonObject rs, JsonObject d, CancellationToken ct)
    {
        var copy = rs.Clone();
        var refs = copy.Metadata()["ownerReferences"] as JsonArray ?? new JsonArray();
        for (var i = refs.Count - 1; i >= 0; i--)
            if (refs[i].Str("uid") == d.Uid()) refs.RemoveAt(i);
        refs.Add(OwnerReferences.NewControllerRef(d));
        copy.Metadata()["ownerReferences"] = refs;
        try
        {
            Log.LogInformation("Deployment {Namespace}/{Name} adopts replica set {ReplicaSet}", d.Namespace(), d.Name(), rs.Name());
            return await _client.UpdateAsync(Kinds.ReplicaSet, copy, ct);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    private async Task ReleaseAsync(JsonObject rs, JsonObject d, CancellationToken ct)
    {
        var copy = rs.Clone();
        if (copy.Metadata()["ownerReferences"] is not JsonArray refs) return;
        for (var i = refs.Count - 1; i >= 0; i--)
            if (refs[i].Str("uid") == d.Uid()) refs.RemoveAt(i);
        if (refs.Count == 0) copy.Metadata().Remove("ownerReferences");
        try
        {
            Log.LogInformation("Deployment {Namespace}/{Name} releases replica set {ReplicaSet}", d.Namespace(), d.Name(), rs.Name());
            await _client.UpdateAsync(Kinds.ReplicaSet, copy, ct);
        }
        catch (ApiException e) when (e.Code == 404)
        {
        }
    }

    // ---- informer handlers: only enqueue ---------------------------------------------------------------------------

    private void OnReplicaSetAdded(JsonObject rs)
    {
        if (OwnedReplicaSets.IsDeleting(rs))
        {
            OnReplicaSetDeleted(rs);
            return;
        }
        if (OwnerReferences.ControllerOf(rs) is { } owner)
        {
            EnqueueOwner(rs.Namespace(), owner);
            return;
        }
        EnqueueMatching(rs);
    }

    private void OnReplicaSetUpdated(JsonObject old, JsonObject rs)
    {
        var oldOwner = OwnerReferences.ControllerOf(old);
        var owner = OwnerReferences.ControllerOf(rs);
        var ownerChanged = oldOwner?.Str("uid") != owner?.Str("uid");
        if (ownerChanged && oldOwner != null) EnqueueOwner(old.Namespace(), oldOwner);
        if (owner != null)
        {
            EnqueueOwner(rs.Namespace(), owner);
            return;
        }
        var labelsChanged = !JsonNode.DeepEquals(old["metadata"]?["labels"], rs["metadata"]?["labels"]);
        if (labelsChanged || ownerChanged || old.ResourceVersion() == rs.ResourceVersion()) EnqueueMatching(rs);
    }

    private void OnReplicaSetDeleted(JsonObject rs)
    {
        if (OwnerReferences.ControllerOf(rs) is { } owner) EnqueueOwner(rs.Namespace(), owner);
    }

    /// <summary>Recreate waits for old pods to be gone; their disappearance (or end) is what it waits for.</summary>
    private void OnPodDeleted(JsonObject pod) => EnqueueRecreateOwnerOf(pod);

    private void OnPodUpdated(JsonObject old, JsonObject pod)
    {
        if (PodStatus.Phase(old) != PodStatus.Phase(pod) && PodStatus.Phase(pod) is "Succeeded" or "Failed")
            EnqueueRecreateOwnerOf(pod);
    }

    private void EnqueueRecreateOwnerOf(JsonObject pod)
    {
        if (OwnerReferences.ControllerOf(pod) is not { } rsRef || rsRef.Str("kind") != "ReplicaSet") return;
        if (_replicaSets.Get(pod.Namespace(), rsRef.Str("name") ?? "") is not { } rs || rs.Uid() != rsRef.Str("uid")) return;
        if (OwnerReferences.ControllerOf(rs) is not { } dRef || Resolve(rs.Namespace(), dRef) is not { } d) return;
        if (RolloutBounds.StrategyType(d) == RolloutBounds.Recreate) Queue.Add(Informer.KeyOf(d));
    }

    private void EnqueueOwner(string? ns, JsonObject ownerRef)
    {
        if (Resolve(ns, ownerRef) is { } d) Queue.Add(Informer.KeyOf(d));
    }

    private JsonObject? Resolve(string? ns, JsonObject ownerRef)
    {
        if (ownerRef.Str("kind") != "Deployment" || ownerRef.Str("apiVersion")?.StartsWith("apps/", StringComparison.Ordinal) != true) return null;
        var d = _deployments.Get(ns, ownerRef.Str("name") ?? "");
        return d != null && d.Uid() == ownerRef.Str("uid") ? d : null;
    }

    /// <summary>An orphan may be adopted by any deployment in its namespace whose selector matches it.</summary>
    private void EnqueueMatching(JsonObject rs)
    {
        var labels = rs.Labels();
        foreach (var d in _deployments.List(rs.Namespace()))
            if (!SelectsEverything(d) && LabelSelector.FromJson(d["spec"]?["selector"]).Matches(labels))
                Queue.Add(Informer.KeyOf(d));
    }
}
