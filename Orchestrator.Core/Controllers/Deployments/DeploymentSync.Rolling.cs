using System.Text.Json.Nodes;

namespace Orchestrator.Core.Controllers.Deployments;

/// <summary>
/// The RollingUpdate strategy. Each reconcile takes at most one of these steps and then reports status:
/// <list type="number">
/// <item>scale the new ReplicaSet up, as far as maxSurge allows (total pods ≤ desired + maxSurge);</item>
/// <item>otherwise scale old ReplicaSets down, as far as maxUnavailable allows (available pods ≥ desired −
///   maxUnavailable), first taking away old replicas that are not available anyway, oldest ReplicaSet first;</item>
/// <item>once the rollout is complete, delete history beyond revisionHistoryLimit.</item>
/// </list>
/// Progress comes from ReplicaSet status changes (pods becoming available), each of which triggers the next reconcile.
/// </summary>
internal sealed partial class DeploymentSync
{
    public async Task RolloutRollingAsync(CancellationToken ct)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(create: true, ct);
        if (newRs == null) return;

        if (await ReconcileNewReplicaSetAsync(All(oldRss, newRs), newRs, ct))
        {
            await SyncRolloutStatusAsync(All(Fresh(oldRss), Fresh(newRs)), Fresh(newRs), ct);
            return;
        }
        if (await ReconcileOldReplicaSetsAsync(All(oldRss, newRs), OwnedReplicaSets.Active(oldRss), newRs, ct))
        {
            await SyncRolloutStatusAsync(All(Fresh(oldRss), Fresh(newRs)), Fresh(newRs), ct);
            return;
        }
        if (IsComplete(Status)) await CleanupAsync(oldRss, ct);
        await SyncRolloutStatusAsync(All(Fresh(oldRss), Fresh(newRs)), Fresh(newRs), ct);
    }

    private async Task<bool> ReconcileNewReplicaSetAsync(IReadOnlyList<JsonObject> all, JsonObject newRs, CancellationToken ct)
    {
        var size = OwnedReplicaSets.Replicas(newRs);
        if (size == Desired) return false;
        if (size > Desired) return (await ScaleReplicaSetAndRecordEventAsync(newRs, Desired, ct)).Scaled;
        return (await ScaleReplicaSetAndRecordEventAsync(newRs, NewReplicaSetReplicas(all, newRs), ct)).Scaled;
    }

    private async Task<bool> ReconcileOldReplicaSetsAsync(IReadOnlyList<JsonObject> all, List<JsonObject> oldRss, JsonObject newRs, CancellationToken ct)
    {
        if (OwnedReplicaSets.SumReplicas(oldRss) == 0) return false; // nothing left to scale down

        // Old pods that may go: everything above the minimum available, minus what the new ReplicaSet still lacks
        // (its unavailable pods count against the budget, so a broken new template cannot eat the old pods).
        var minAvailable = Desired - RolloutBounds.MaxUnavailable(D);
        var newUnavailable = OwnedReplicaSets.Replicas(newRs) - OwnedReplicaSets.AvailableReplicas(newRs);
        var maxScaledDown = OwnedReplicaSets.SumReplicas(all) - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) return false;

        var (cleaned, cleanedCount) = await CleanupUnhealthyReplicasAsync(oldRss, maxScaledDown, ct);
        var scaledDown = await ScaleDownOldReplicaSetsForRollingUpdateAsync(cleaned.Append(Fresh(newRs)!).ToList(), cleaned, ct);
        return cleanedCount + scaledDown > 0;
    }

    /// <summary>Scales old ReplicaSets down by their unavailable replicas (oldest first): those pods serve nobody.</summary>
    private async Task<(List<JsonObject> OldRss, int Count)> CleanupUnhealthyReplicasAsync(List<JsonObject> oldRss, int maxCleanup, CancellationToken ct)
    {
        var result = OwnedReplicaSets.OldestFirst(oldRss);
        var total = 0;
        for (var i = 0; i < result.Count && total < maxCleanup; i++)
        {
            var rs = result[i];
            var size = OwnedReplicaSets.Replicas(rs);
            var available = OwnedReplicaSets.AvailableReplicas(rs);
            if (size == 0 || size <= available) continue;
            var count = Math.Min(maxCleanup - total, size - available);
            var (_, updated) = await ScaleReplicaSetAndRecordEventAsync(rs, size - count, ct);
            result[i] = updated;
            total += count;
        }
        return (result, total);
    }

    /// <summary>Scales old ReplicaSets down (oldest first) while more pods are available than the minimum.</summary>
    private async Task<int> ScaleDownOldReplicaSetsForRollingUpdateAsync(IReadOnlyList<JsonObject> all, List<JsonObject> oldRss, CancellationToken ct)
    {
        var minAvailable = Desired - RolloutBounds.MaxUnavailable(D);
        var available = OwnedReplicaSets.SumAvailable(all);
        if (available <= minAvailable) return 0;
        var budget = available - minAvailable;
        var total = 0;
        foreach (var rs in OwnedReplicaSets.OldestFirst(oldRss))
        {
            if (total >= budget) break;
            var size = OwnedReplicaSets.Replicas(rs);
            if (size == 0) continue;
            var count = Math.Min(size, budget - total);
            await ScaleReplicaSetAndRecordEventAsync(rs, size - count, ct);
            total += count;
        }
        return total;
    }
}
