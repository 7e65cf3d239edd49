using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Deployments;

/// <summary>
/// The annotations the deployment controller keeps on Deployments and their ReplicaSets. Revisions count rollouts:
/// the new ReplicaSet always gets the highest revision (max of the old ones + 1), also when it is an old ReplicaSet
/// brought back by <c>kubectl rollout undo</c>, which then remembers its earlier numbers in revision-history.
/// desired-replicas and max-replicas record the deployment's size a ReplicaSet was last scaled for, which is how a
/// resize in the middle of a rollout is recognised and spread proportionally.
/// </summary>
public static class DeploymentAnnotations
{
    public const string Revision = "deployment.kubernetes.io/revision";
    public const string RevisionHistory = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicas = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicas = "deployment.kubernetes.io/max-replicas";
    public const string LastAppliedConfiguration = "kubectl.kubernetes.io/last-applied-configuration";
    public const string DeprecatedRollbackTo = "deprecated.deployment.rollback.to";

    /// <summary>Upstream's default cap on the length of revision-history.</summary>
    public const int MaxRevisionHistoryLength = 2000;

    /// <summary>Deployment annotations that are not copied onto ReplicaSets: they describe the deployment itself.</summary>
    private static readonly HashSet<string> NotCopied =
        [LastAppliedConfiguration, Revision, RevisionHistory, DesiredReplicas, MaxReplicas, DeprecatedRollbackTo];

    /// <summary>The revision of a ReplicaSet or Deployment; 0 when absent or unreadable.</summary>
    public static long RevisionOf(JsonObject obj) =>
        long.TryParse(obj.Annotations().GetValueOrDefault(Revision), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;

    public static long MaxRevision(IEnumerable<JsonObject> rss) => rss.Select(RevisionOf).DefaultIfEmpty(0).Max();

    public static int? IntAnnotation(JsonObject obj, string key) =>
        int.TryParse(obj.Annotations().GetValueOrDefault(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>Sets the deployment's revision annotation; true when it changed.</summary>
    public static bool SetDeploymentRevision(JsonObject deployment, string revision) => Set(deployment, Revision, revision);

    /// <summary>
    /// Brings the new ReplicaSet's annotations up to date: the deployment's own annotations, the new revision (keeping
    /// the previous one in revision-history when an existing ReplicaSet is promoted again) and, for a ReplicaSet about
    /// to be created, the replica annotations. True when anything changed.
    /// </summary>
    public static bool SetNewReplicaSetAnnotations(JsonObject deployment, JsonObject rs, long newRevision, bool exists, int maxSurge)
    {
        var changed = CopyDeploymentAnnotations(deployment, rs);
        var annotations = rs.Annotations();
        var hadRevision = annotations.TryGetValue(Revision, out var oldRevision);
        long oldRevisionNumber = 0;
        if (hadRevision && !long.TryParse(oldRevision, NumberStyles.None, CultureInfo.InvariantCulture, out oldRevisionNumber))
            return changed; // someone wrote garbage; upstream leaves such a ReplicaSet alone

        if (oldRevisionNumber < newRevision)
        {
            Set(rs, Revision, newRevision.ToString(CultureInfo.InvariantCulture));
            changed = true;
            if (hadRevision) AppendHistory(rs, annotations.GetValueOrDefault(RevisionHistory) ?? "", oldRevision!);
        }
        if (!exists)
        {
            var desired = RolloutBounds.DesiredReplicas(deployment);
            changed |= SetReplicasAnnotations(rs, desired, desired + maxSurge);
        }
        return changed;
    }

    /// <summary>Copies the deployment's annotations (except its own bookkeeping) to a ReplicaSet; true when any changed.</summary>
    public static bool CopyDeploymentAnnotations(JsonObject deployment, JsonObject rs)
    {
        var changed = false;
        var current = rs.Annotations();
        foreach (var (key, value) in deployment.Annotations())
        {
            if (NotCopied.Contains(key) || current.GetValueOrDefault(key) == value) continue;
            Set(rs, key, value);
            changed = true;
        }
        return changed;
    }

    public static bool SetReplicasAnnotations(JsonObject rs, int desired, int max)
    {
        var changed = Set(rs, DesiredReplicas, desired.ToString(CultureInfo.InvariantCulture));
        changed |= Set(rs, MaxReplicas, max.ToString(CultureInfo.InvariantCulture));
        return changed;
    }

    public static bool ReplicasAnnotationsNeedUpdate(JsonObject rs, int desired, int max)
    {
        var annotations = rs.Annotations();
        return annotations.GetValueOrDefault(DesiredReplicas) != desired.ToString(CultureInfo.InvariantCulture) ||
               annotations.GetValueOrDefault(MaxReplicas) != max.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Adds <paramref name="revision"/> to the comma-separated history, dropping the oldest entries past the cap.</summary>
    private static void AppendHistory(JsonObject rs, string history, string revision)
    {
        if (history.Length == 0)
        {
            Set(rs, RevisionHistory, revision);
            return;
        }
        var entries = history.Split(',').ToList();
        var total = history.Length + revision.Length + 1;
        while (total > MaxRevisionHistoryLength && entries.Count > 0)
        {
            total -= entries[0].Length + 1;
            entries.RemoveAt(0);
        }
        if (total > MaxRevisionHistoryLength) return;
        entries.Add(revision);
        Set(rs, RevisionHistory, string.Join(",", entries));
    }

    private static bool Set(JsonObject obj, string key, string value)
    {
        var annotations = obj.Metadata().Obj("annotations");
        if (annotations.Str(key) == value) return false;
        annotations[key] = value;
        return true;
    }
}
