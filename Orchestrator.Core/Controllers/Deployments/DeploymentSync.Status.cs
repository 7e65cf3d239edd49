using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Deployments;

/// <summary>
/// Deployment status, written only when it differs. <c>kubectl rollout status</c> is satisfied when
/// observedGeneration ≥ generation, updatedReplicas = spec.replicas, replicas = updatedReplicas (no old pods left)
/// and availableReplicas = updatedReplicas. The Progressing condition carries the deadline: each sign of progress
/// (more updated, ready or available pods, fewer old ones) renews lastUpdateTime, and a rollout without progress for
/// progressDeadlineSeconds turns Progressing=False with ProgressDeadlineExceeded. The deadline is checked by
/// re-queueing the deployment for the moment it would pass.
/// </summary>
internal sealed partial class DeploymentSync
{
    /// <summary>Records spec.paused in the Progressing condition (Unknown/DeploymentPaused, then DeploymentResumed).</summary>
    public async Task CheckPausedConditionsAsync(CancellationToken ct)
    {
        if (!HasProgressDeadline) return;
        var condition = DeploymentConditions.Get(Status, DeploymentConditions.Progressing);
        if (condition?.Str("reason") == DeploymentConditions.ProgressDeadlineExceeded) return; // keep reporting the failure
        var pausedRecorded = condition?.Str("reason") == DeploymentConditions.DeploymentPaused;
        var paused = D["spec"].Bool("paused") == true;
        JsonObject? update = null;
        if (paused && !pausedRecorded)
            update = DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.Unknown,
                DeploymentConditions.DeploymentPaused, "Deployment is paused", _time.GetUtcNow());
        else if (!paused && pausedRecorded)
            update = DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.Unknown,
                DeploymentConditions.DeploymentResumed, "Deployment is resumed", _time.GetUtcNow());
        if (update == null) return;
        DeploymentConditions.Set(Status, update);
        await PersistDeploymentAsync(false, true, ct);
    }

    /// <summary>Counts and the Available condition, without judging rollout progress.</summary>
    private async Task SyncDeploymentStatusAsync(IReadOnlyList<JsonObject> all, JsonObject? newRs, CancellationToken ct)
    {
        var status = CalculateStatus(all, newRs);
        if (!SameStatus(status)) await WriteStatusAsync(status, ct);
    }

    /// <summary>Counts, Available, and the Progressing judgement, with a re-queue for the progress deadline.</summary>
    private async Task SyncRolloutStatusAsync(IReadOnlyList<JsonObject> all, JsonObject? newRs, CancellationToken ct)
    {
        var status = CalculateStatus(all, newRs);
        if (!HasProgressDeadline) DeploymentConditions.Remove(status, DeploymentConditions.Progressing);

        var current = DeploymentConditions.Get(Status, DeploymentConditions.Progressing);
        var alreadyComplete = status.Long("replicas") == status.Long("updatedReplicas") &&
                              current?.Str("reason") == DeploymentConditions.NewReplicaSetAvailable;
        if (HasProgressDeadline && !alreadyComplete)
        {
            var now = _time.GetUtcNow();
            if (IsComplete(status))
            {
                var message = newRs != null ? $"ReplicaSet \"{newRs.Name()}\" has successfully progressed." : "Deployment has successfully progressed.";
                DeploymentConditions.Set(status, DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.True,
                    DeploymentConditions.NewReplicaSetAvailable, message, now));
            }
            else if (IsProgressing(status))
            {
                var message = newRs != null ? $"ReplicaSet \"{newRs.Name()}\" is progressing." : "Deployment is progressing.";
                var condition = DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.True,
                    DeploymentConditions.ReplicaSetUpdated, message, now);
                // Progress always renews lastUpdateTime (Set alone would keep an equal condition as it is).
                if (current != null)
                {
                    if (current.Str("status") == DeploymentConditions.True) condition["lastTransitionTime"] = current["lastTransitionTime"]?.DeepClone();
                    DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
                }
                DeploymentConditions.Set(status, condition);
            }
            else if (IsTimedOut(status, now))
            {
                var message = newRs != null ? $"ReplicaSet \"{newRs.Name()}\" has timed out progressing." : $"Deployment \"{D.Name()}\" has timed out progressing.";
                DeploymentConditions.Set(status, DeploymentConditions.New(DeploymentConditions.Progressing, DeploymentConditions.False,
                    DeploymentConditions.ProgressDeadlineExceeded, message, now));
            }
        }

        if (ReplicaFailure(all, newRs) is { } failure) DeploymentConditions.Set(status, failure);
        else DeploymentConditions.Remove(status, DeploymentConditions.ReplicaFailure);

        if (SameStatus(status))
        {
            RequeueForDeadline(status);
            return;
        }
        await WriteStatusAsync(status, ct);
    }

    private JsonObject CalculateStatus(IReadOnlyList<JsonObject> all, JsonObject? newRs)
    {
        var available = OwnedReplicaSets.SumAvailable(all);
        var unavailable = Math.Max(0, OwnedReplicaSets.SumReplicas(all) - available);
        var status = new JsonObject();
        // As upstream's JSON: zero counts are omitted.
        void Count(string field, long value)
        {
            if (value != 0) status[field] = value;
        }
        Count("observedGeneration", D["metadata"].Long("generation") ?? 0);
        Count("replicas", OwnedReplicaSets.SumActual(all));
        Count("updatedReplicas", newRs != null ? OwnedReplicaSets.ActualReplicas(newRs) : 0);
        Count("readyReplicas", OwnedReplicaSets.SumReady(all));
        Count("availableReplicas", available);
        Count("unavailableReplicas", unavailable);
        if (Status["conditions"] is JsonArray conditions && conditions.Count > 0) status["conditions"] = conditions.DeepClone();
        if (Status["collisionCount"] is { } collisions) status["collisionCount"] = collisions.DeepClone();

        var now = _time.GetUtcNow();
        DeploymentConditions.Set(status, available >= Desired - RolloutBounds.MaxUnavailable(D)
            ? DeploymentConditions.New(DeploymentConditions.Available, DeploymentConditions.True,
                DeploymentConditions.MinimumReplicasAvailable, "Deployment has minimum availability.", now)
            : DeploymentConditions.New(DeploymentConditions.Available, DeploymentConditions.False,
                DeploymentConditions.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now));
        return status;
    }

    /// <summary>All desired pods run the current template and are available, and the latest spec has been seen.</summary>
    private bool IsComplete(JsonObject status) =>
        (status.Long("updatedReplicas") ?? 0) == Desired &&
        (status.Long("replicas") ?? 0) == Desired &&
        (status.Long("availableReplicas") ?? 0) == Desired &&
        (status.Long("observedGeneration") ?? 0) >= (D["metadata"].Long("generation") ?? 0);

    /// <summary>Whether <paramref name="status"/> shows progress over the status last written.</summary>
    private bool IsProgressing(JsonObject status)
    {
        long Of(JsonNode? s, string field) => s.Long(field) ?? 0;
        var old = D["status"];
        var oldStale = Of(old, "replicas") - Of(old, "updatedReplicas");
        var newStale = Of(status, "replicas") - Of(status, "updatedReplicas");
        return Of(status, "updatedReplicas") > Of(old, "updatedReplicas") ||
               newStale < oldStale ||
               Of(status, "readyReplicas") > Of(old, "readyReplicas") ||
               Of(status, "availableReplicas") > Of(old, "availableReplicas");
    }

    private bool IsTimedOut(JsonObject status, DateTimeOffset now)
    {
        if (ProgressDeadlineSeconds is not { } deadline) return false;
        var condition = DeploymentConditions.Get(status, DeploymentConditions.Progressing);
        if (condition == null) return false;
        switch (condition.Str("reason"))
        {
            case DeploymentConditions.NewReplicaSetAvailable:
                return false;
            case DeploymentConditions.ProgressDeadlineExceeded:
                return true;
        }
        return DeploymentConditions.LastUpdateTime(condition) is { } from && from.AddSeconds(deadline) < now;
    }

    /// <summary>
    /// A rollout that shows no progress is looked at again when its deadline would pass, so that it times out even if
    /// nothing else changes (ReplicaSet and deployment events cover every other transition).
    /// </summary>
    private void RequeueForDeadline(JsonObject status)
    {
        if (ProgressDeadlineSeconds is not { } deadline) return;
        var current = DeploymentConditions.Get(Status, DeploymentConditions.Progressing);
        if (current == null || IsComplete(status) || current.Str("reason") == DeploymentConditions.ProgressDeadlineExceeded) return;
        if (DeploymentConditions.LastUpdateTime(current) is not { } from) return;
        var after = from.AddSeconds(deadline) - _time.GetUtcNow();
        // Whole-second timestamps: look a second after the deadline, so that it has surely passed.
        _requeueAfter(after < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : after + TimeSpan.FromSeconds(1));
    }

    /// <summary>The ReplicaSets' ReplicaFailure condition (the new one's first), as a deployment condition.</summary>
    private static JsonObject? ReplicaFailure(IReadOnlyList<JsonObject> all, JsonObject? newRs)
    {
        var candidates = newRs != null ? all.Where(rs => rs.Uid() == newRs.Uid()).Concat(all.Where(rs => rs.Uid() != newRs.Uid())) : all;
        foreach (var rs in candidates)
        {
            var failure = (rs["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == DeploymentConditions.ReplicaFailure);
            if (failure == null) continue;
            return new JsonObject
            {
                ["type"] = DeploymentConditions.ReplicaFailure,
                ["status"] = failure.Str("status"),
                ["lastUpdateTime"] = failure["lastTransitionTime"]?.DeepClone(),
                ["lastTransitionTime"] = failure["lastTransitionTime"]?.DeepClone(),
                ["reason"] = failure.Str("reason"),
                ["message"] = failure.Str("message"),
            };
        }
        return null;
    }

    private bool SameStatus(JsonObject status) =>
        string.Equals(PodTemplateHash.Canonical(D["status"])?.ToJsonString(), PodTemplateHash.Canonical(status)?.ToJsonString(), StringComparison.Ordinal);

    private async Task WriteStatusAsync(JsonObject status, CancellationToken ct)
    {
        D["status"] = status;
        D = await _client.UpdateStatusAsync(Kinds.Deployment, D, ct);
    }
}
