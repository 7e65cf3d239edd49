using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Deployments;

/// <summary>
/// The Recreate strategy: old and new pods never run side by side.
/// <list type="number">
/// <item>scale every old ReplicaSet to 0;</item>
/// <item>wait until no old pod is left (ReplicaSet status and the pods themselves, terminating ones included);</item>
/// <item>create or scale the new ReplicaSet to the full size at once;</item>
/// <item>once complete, delete history beyond revisionHistoryLimit.</item>
/// </list>
/// </summary>
internal sealed partial class DeploymentSync
{
    public async Task RolloutRecreateAsync(CancellationToken ct)
    {
        var (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(create: false, ct);

        var scaledDown = false;
        foreach (var rs in OwnedReplicaSets.Active(oldRss))
            scaledDown |= (await ScaleReplicaSetAndRecordEventAsync(rs, 0, ct)).Scaled;
        if (scaledDown || OldPodsRunning(Fresh(newRs), Fresh(oldRss)))
        {
            await SyncRolloutStatusAsync(All(Fresh(oldRss), Fresh(newRs)), Fresh(newRs), ct);
            return;
        }

        if (newRs == null) (newRs, oldRss) = await GetAllReplicaSetsAndSyncRevisionAsync(create: true, ct);
        if (newRs != null) await ScaleReplicaSetAndRecordEventAsync(Fresh(newRs)!, Desired, ct);
        if (IsComplete(Status)) await CleanupAsync(oldRss, ct);
        await SyncRolloutStatusAsync(All(Fresh(oldRss), Fresh(newRs)), Fresh(newRs), ct);
    }

    /// <summary>Whether any pod of an old ReplicaSet may still be running (a pod in a terminal phase does not count).</summary>
    private bool OldPodsRunning(JsonObject? newRs, List<JsonObject> oldRss)
    {
        if (OwnedReplicaSets.SumActual(oldRss) > 0) return true;
        var oldUids = oldRss.Select(rs => rs.Uid()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return _pods.List(Namespace).Any(pod =>
            OwnerReferences.ControllerOf(pod)?.Str("uid") is { } owner && oldUids.Contains(owner) && owner != newRs?.Uid() &&
            PodStatus.Phase(pod) is not ("Succeeded" or "Failed"));
    }
}
