using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Deployments;

/// <summary>
/// One reconcile of one Deployment: the upstream deployment controller's algorithms (sync.go, rolling.go,
/// recreate.go, progress.go) over a working copy of the deployment and the ReplicaSets it owns. Every write goes to
/// the API server with the resourceVersion it was read at, so a stale cache ends in a 409 and a retry, never in a
/// lost update; each object the server returns replaces the working copy, so later steps of the same reconcile see
/// their predecessors' effects.
/// </summary>
internal sealed partial class DeploymentSync
{
    private readonly IKubeClient _client;
    private readonly EventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Informer _pods;
    private readonly Action<TimeSpan> _requeueAfter;
    private readonly List<JsonObject> _replicaSets;

    public DeploymentSync(JsonObject deployment, List<JsonObject> replicaSets, IKubeClient client, EventRecorder events,
        TimeProvider time, ILogger log, Informer pods, Action<TimeSpan> requeueAfter)
    {
        D = deployment;
        _replicaSets = replicaSets;
        _client = client;
        _events = events;
        _time = time;
        _log = log;
        _pods = pods;
        _requeueAfter = requeueAfter;
    }

    /// <summary>The deployment as last read or written.</summary>
    public JsonObject D { get; private set; }

    private string Namespace => D.Namespace() ?? "default";

    private int Desired => RolloutBounds.DesiredReplicas(D);

    private JsonObject Status => D.Obj("status");

    private long? ProgressDeadlineSeconds =>
        D["spec"].Long("progressDeadlineSeconds") is { } s && s != int.MaxValue ? s : null;

    private bool HasProgressDeadline => ProgressDeadlineSeconds != null;

    // ---- the entry points syncDeployment chooses between ---------------------------------------------------------

    /// <summary>A deployment being deleted: only its status is kept current.</summary>
    public async Task SyncStatusOnlyAsync(CancellationToken ct)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(create: false, ct);
        await SyncDeploymentStatusAsync(All(oldRss, newRs), newRs, ct);
    }

    /// <summary>
    /// Scaling without rollout progress: used while paused and when the deployment was resized (a resize in the middle
    /// of a rollout is spread over the ReplicaSets in proportion to their sizes).
    /// </summary>
    public async Task SyncScaleAsync(CancellationToken ct)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(create: false, ct);
        await ScaleAsync(newRs, oldRss, ct);
        (newRs, oldRss) = (Fresh(newRs), Fresh(oldRss));
        if (D["spec"].Bool("paused") == true) await CleanupAsync(oldRss, ct);
        await SyncDeploymentStatusAsync(All(oldRss, newRs), newRs, ct);
    }

    /// <summary>True when an active ReplicaSet was last scaled for a different deployment size.</summary>
    public async Task<bool> IsScalingEventAsync(CancellationToken ct)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(create: false, ct);
        foreach (var rs in OwnedReplicaSets.Active(All(oldRss, newRs)))
            if (DeploymentAnnotations.IntAnnotation(rs, DeploymentAnnotations.DesiredReplicas) is { } desired && desired != Desired)
                return true;
        return false;
    }

    // ---- the new ReplicaSet and revisions -------------------------------------------------------------------------

    /// <summary>
    /// Splits the owned ReplicaSets into the new one (template equal to the deployment's) and the old ones, bringing
    /// the new one's revision annotations up to date, and creating it when <paramref name="create"/> is set.
    /// </summary>
    private async Task<(JsonObject? New, List<JsonObject> Old)> GetAllReplicaSetsAndSyncRevisionAsync(bool create, CancellationToken ct)
    {
        var existing = OwnedReplicaSets.FindNew(D, _replicaSets);
        var old = _replicaSets.Where(rs => existing == null || rs.Uid() != existing.Uid()).ToList();
        var newRs = await GetNewReplicaSetAsync(existing, old, create, ct);
        return (newRs, old);
    }

    private async Task<JsonObject?> GetNewReplicaSetAsync(JsonObject? existing, List<JsonObject> oldRss, bool create, CancellationToken ct)
    {
        var newRevision = DeploymentAnnotations.MaxRevision(oldRss) + 1;
        var minReadySeconds = D["spec"].Long("minReadySeconds") ?? 0;

        if (existing != null)
        {
            var copy = existing.Clone();
            var annotationsChanged = DeploymentAnnotations.SetNewReplicaSetAnnotations(D, copy, newRevision, exists: true, RolloutBounds.MaxSurge(D));
            if (annotationsChanged || (copy["spec"].Long("minReadySeconds") ?? 0) != minReadySeconds)
            {
                SetMinReadySeconds(copy, minReadySeconds);
                return Replace(await _client.UpdateAsync(Kinds.ReplicaSet, copy, ct));
            }

            var revisionChanged = DeploymentAnnotations.SetDeploymentRevision(D, copy.Annotations().GetValueOrDefault(DeploymentAnnotations.Revision) ?? "");
            var statusChanged = false;
            if (HasProgressDeadline && DeploymentConditions.Get(Status, DeploymentConditions.Progressing) == null)
            {
                DeploymentConditions.Set(Status, DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.True,
                    DeploymentConditions.FoundNewReplicaSet, $"Found new replica set \"{copy.Name()}\"", _time.GetUtcNow()));
                statusChanged = true;
            }
            await PersistDeploymentAsync(revisionChanged, statusChanged, ct);
            return copy;
        }
        if (!create) return null;

        var rs = NewReplicaSet(oldRss, newRevision, minReadySeconds);
        var name = rs.Name()!;
        var replicas = OwnedReplicaSets.Replicas(rs);
        var alreadyExisted = false;
        JsonObject created;
        try
        {
            created = await _client.CreateAsync(Kinds.ReplicaSet, Namespace, rs, ct);
        }
        catch (ApiException e) when (e.Reason == "AlreadyExists")
        {
            // Ours from an earlier reconcile the cache has not shown yet, or a hash collision with someone else's.
            var found = await _client.GetAsync(Kinds.ReplicaSet, Namespace, name, ct);
            if (found == null || !OwnerReferences.IsControlledBy(found, D) ||
                !PodTemplateHash.EqualIgnoringHash(D["spec"]?["template"], found["spec"]?["template"]))
            {
                var collisions = (Status.Long("collisionCount") ?? 0) + 1;
                Status["collisionCount"] = collisions;
                D = await _client.UpdateStatusAsync(Kinds.Deployment, D, ct);
                _log.LogInformation("Hash collision for deployment {Namespace}/{Name} on replica set {ReplicaSet}; collisionCount is now {Count}",
                    Namespace, D.Name(), name, collisions);
                throw;
            }
            created = found;
            alreadyExisted = true;
        }
        catch (ApiException e) when (HasProgressDeadline && e.Code != 409)
        {
            DeploymentConditions.Set(Status, DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.False,
                DeploymentConditions.FailedReplicaSetCreate, $"Failed to create new replica set \"{name}\": {e.Message}", _time.GetUtcNow()));
            await PersistDeploymentAsync(false, true, ct);
            throw;
        }
        Replace(created);

        if (!alreadyExisted && replicas > 0)
            await _events.RecordAsync(D, EventRecorder.Normal, "ScalingReplicaSet", $"Scaled up replica set {name} from 0 to {replicas}", ct);
        var changed = DeploymentAnnotations.SetDeploymentRevision(D, newRevision.ToString(CultureInfo.InvariantCulture));
        var conditionChanged = false;
        if (!alreadyExisted && HasProgressDeadline)
        {
            DeploymentConditions.Set(Status, DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.True,
                DeploymentConditions.NewReplicaSetCreated, $"Created new replica set \"{name}\"", _time.GetUtcNow()));
            conditionChanged = true;
        }
        await PersistDeploymentAsync(changed, conditionChanged, ct);
        return created;
    }

    /// <summary>
    /// The ReplicaSet for the deployment's current template: named and labelled with the template's hash (so its
    /// selector never overlaps a sibling's), controlled by the deployment, sized for the first step of the rollout.
    /// </summary>
    private JsonObject NewReplicaSet(List<JsonObject> oldRss, long revision, long minReadySeconds)
    {
        var template = D["spec"]?["template"]?.DeepClone() as JsonObject ?? new JsonObject();
        var hash = PodTemplateHash.Compute(D["spec"]?["template"] as JsonObject ?? new JsonObject(), Status.Long("collisionCount"));
        template.Obj("metadata").Obj("labels")[PodTemplateHash.Label] = hash;
        var selector = D["spec"]?["selector"]?.DeepClone() as JsonObject ?? new JsonObject();
        selector.Obj("matchLabels")[PodTemplateHash.Label] = hash;

        var rs = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{D.Name()}-{hash}",
                ["namespace"] = Namespace,
                ["labels"] = template["metadata"]!["labels"]!.DeepClone(),
                ["ownerReferences"] = new JsonArray(OwnerReferences.NewControllerRef(D)),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["selector"] = selector,
                ["template"] = template,
            },
        };
        SetMinReadySeconds(rs, minReadySeconds);
        rs["spec"]!["replicas"] = NewReplicaSetReplicas(oldRss.Append(rs).ToList(), rs);
        DeploymentAnnotations.SetNewReplicaSetAnnotations(D, rs, revision, exists: false, RolloutBounds.MaxSurge(D));
        return rs;
    }

    private static void SetMinReadySeconds(JsonObject rs, long minReadySeconds)
    {
        var spec = rs.Obj("spec");
        if (minReadySeconds == 0) spec.Remove("minReadySeconds");
        else spec["minReadySeconds"] = minReadySeconds;
    }

    /// <summary>How big the new ReplicaSet may be now: all at once for Recreate, within maxSurge for a rolling update.</summary>
    private int NewReplicaSetReplicas(IReadOnlyList<JsonObject> all, JsonObject newRs)
    {
        if (!RolloutBounds.IsRollingUpdate(D)) return Desired;
        var current = OwnedReplicaSets.SumReplicas(all);
        var maxTotal = Desired + RolloutBounds.MaxSurge(D);
        var size = OwnedReplicaSets.Replicas(newRs);
        if (current >= maxTotal) return size;
        return size + Math.Min(maxTotal - current, Desired - size);
    }

    // ---- scaling ReplicaSets --------------------------------------------------------------------------------------

    private async Task<(bool Scaled, JsonObject Rs)> ScaleReplicaSetAndRecordEventAsync(JsonObject rs, int newScale, CancellationToken ct)
    {
        var current = OwnedReplicaSets.Replicas(rs);
        if (current == newScale) return (false, rs);
        return await ScaleReplicaSetAsync(rs, newScale, current < newScale ? "up" : "down", ct);
    }

    /// <summary>Sets a ReplicaSet's size and replica annotations; an event tells the story when the size changed.</summary>
    private async Task<(bool Scaled, JsonObject Rs)> ScaleReplicaSetAsync(JsonObject rs, int newScale, string operation, CancellationToken ct)
    {
        var oldScale = OwnedReplicaSets.Replicas(rs);
        var max = Desired + RolloutBounds.MaxSurge(D);
        var sizeChanges = oldScale != newScale;
        if (!sizeChanges && !DeploymentAnnotations.ReplicasAnnotationsNeedUpdate(rs, Desired, max)) return (false, rs);

        var copy = rs.Clone();
        copy.Obj("spec")["replicas"] = newScale;
        DeploymentAnnotations.SetReplicasAnnotations(copy, Desired, max);
        var updated = Replace(await _client.UpdateAsync(Kinds.ReplicaSet, copy, ct));
        if (!sizeChanges) return (false, updated);
        await _events.RecordAsync(D, EventRecorder.Normal, "ScalingReplicaSet",
            $"Scaled {operation} replica set {updated.Name()} from {oldScale} to {newScale}", ct);
        return (true, updated);
    }

    // ---- history --------------------------------------------------------------------------------------------------

    /// <summary>Deletes the oldest revisions beyond revisionHistoryLimit, only those fully scaled down and settled.</summary>
    private async Task CleanupAsync(IEnumerable<JsonObject> oldRss, CancellationToken ct)
    {
        if (D["spec"].Long("revisionHistoryLimit") is not { } limit || limit == int.MaxValue) return;
        var cleanable = Fresh(oldRss).Where(rs => !OwnedReplicaSets.IsDeleting(rs)).ToList();
        var excess = cleanable.Count - limit;
        if (excess <= 0) return;
        foreach (var rs in OwnedReplicaSets.ByRevision(cleanable).Take((int)excess))
        {
            if (OwnedReplicaSets.ActualReplicas(rs) != 0 || OwnedReplicaSets.Replicas(rs) != 0) continue;
            if ((rs["metadata"].Long("generation") ?? 0) > (rs["status"].Long("observedGeneration") ?? 0)) continue;
            _log.LogDebug("Deleting old replica set {Namespace}/{Name} beyond the revision history limit", Namespace, rs.Name());
            try
            {
                await _client.DeleteAsync(Kinds.ReplicaSet, Namespace, rs.Name()!, new DeleteRequest(PreconditionUid: rs.Uid()), ct);
            }
            catch (ApiException e) when (e.Code == 404)
            {
            }
            _replicaSets.RemoveAll(r => r.Uid() == rs.Uid());
        }
    }

    // ---- working-copy bookkeeping ---------------------------------------------------------------------------------

    /// <summary>Writes the deployment's annotations and then its status, as far as they changed.</summary>
    private async Task PersistDeploymentAsync(bool metadataChanged, bool statusChanged, CancellationToken ct)
    {
        var status = Status.DeepClone();
        if (metadataChanged) D = await _client.UpdateAsync(Kinds.Deployment, D, ct);
        if (statusChanged)
        {
            D["status"] = status;
            D = await _client.UpdateStatusAsync(Kinds.Deployment, D, ct);
        }
    }

    /// <summary>Puts a ReplicaSet the server returned in place of the working copy with the same uid.</summary>
    private JsonObject Replace(JsonObject rs)
    {
        var i = _replicaSets.FindIndex(r => r.Uid() == rs.Uid());
        if (i >= 0) _replicaSets[i] = rs;
        else _replicaSets.Add(rs);
        return rs;
    }

    private JsonObject? Fresh(JsonObject? rs) => rs == null ? null : _replicaSets.FirstOrDefault(r => r.Uid() == rs.Uid()) ?? rs;

    private List<JsonObject> Fresh(IEnumerable<JsonObject> rss) =>
        rss.Where(rs => _replicaSets.Any(r => r.Uid() == rs.Uid())).Select(rs => Fresh(rs)!).ToList();

    private static List<JsonObject> All(IEnumerable<JsonObject> oldRss, JsonObject? newRs) =>
        newRs == null ? oldRss.ToList() : oldRss.Append(newRs).ToList();
}
