using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Deployments;

/// <summary>
/// Resizing a deployment. With one active ReplicaSet (or none) that one simply takes the new size. In the middle of a
/// rolling update the change (new size + maxSurge − current total) is spread over the active ReplicaSets in
/// proportion to their share of the size they were last scaled for (the max-replicas annotation); rounding leftovers
/// go to the largest one. The rollout then continues from the new proportions instead of starting over.
/// </summary>
internal sealed partial class DeploymentSync
{
    private async Task ScaleAsync(JsonObject? newRs, List<JsonObject> oldRss, CancellationToken ct)
    {
        if (OwnedReplicaSets.FindActiveOrLatest(newRs, oldRss) is { } only)
        {
            await ScaleReplicaSetAndRecordEventAsync(only, Desired, ct);
            return;
        }

        // The new ReplicaSet is complete: whatever old replicas remain can go.
        if (IsSaturated(newRs))
        {
            foreach (var old in OwnedReplicaSets.Active(oldRss))
                await ScaleReplicaSetAndRecordEventAsync(old, 0, ct);
            return;
        }

        if (!RolloutBounds.IsRollingUpdate(D)) return;

        var active = OwnedReplicaSets.Active(All(oldRss, newRs));
        var allowed = Desired > 0 ? Desired + RolloutBounds.MaxSurge(D) : 0;
        var toAdd = allowed - OwnedReplicaSets.SumReplicas(active);
        var operation = "";
        if (toAdd > 0)
        {
            active = OwnedReplicaSets.BySizeNewer(active);
            operation = "up";
        }
        else if (toAdd < 0)
        {
            active = OwnedReplicaSets.BySizeOlder(active);
            operation = "down";
        }

        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        var added = 0;
        foreach (var rs in active)
        {
            var proportion = toAdd != 0 ? Proportion(rs, toAdd, added) : 0;
            sizes[rs.Uid()!] = OwnedReplicaSets.Replicas(rs) + proportion;
            added += proportion;
        }
        if (added != toAdd && active.Count > 0)
        {
            var largest = active[0].Uid()!;
            sizes[largest] = Math.Max(0, sizes[largest] + toAdd - added);
        }
        foreach (var rs in active)
            await ScaleReplicaSetAsync(rs, sizes[rs.Uid()!], operation, ct);
    }

    private bool IsSaturated(JsonObject? rs) =>
        rs != null &&
        DeploymentAnnotations.IntAnnotation(rs, DeploymentAnnotations.DesiredReplicas) == Desired &&
        OwnedReplicaSets.Replicas(rs) == Desired &&
        OwnedReplicaSets.AvailableReplicas(rs) == Desired;

    /// <summary>This ReplicaSet's share of the change, bounded by what is left of it.</summary>
    private int Proportion(JsonObject rs, int toAdd, int added)
    {
        if (OwnedReplicaSets.Replicas(rs) == 0 || toAdd == added) return 0;
        var fraction = Fraction(rs);
        var left = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, left) : Math.Max(fraction, left);
    }

    /// <summary>How much this ReplicaSet grows or shrinks if it keeps its share of the deployment's total.</summary>
    private int Fraction(JsonObject rs)
    {
        var size = OwnedReplicaSets.Replicas(rs);
        if (Desired == 0) return -size;
        var total = Desired + RolloutBounds.MaxSurge(D);
        var annotated = DeploymentAnnotations.IntAnnotation(rs, DeploymentAnnotations.MaxReplicas) ?? (int)(Status.Long("replicas") ?? 0);
        if (annotated <= 0) return 0; // no basis for a share; the leftover step sizes the largest
        return (int)Math.Round((double)size * total / annotated, MidpointRounding.AwayFromZero) - size;
    }
}
