using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Deployments;

/// <summary>Counting and ordering a Deployment's ReplicaSets, as upstream's deployment utilities do.</summary>
public static class OwnedReplicaSets
{
    /// <summary>spec.replicas: what the deployment asked this ReplicaSet for.</summary>
    public static int Replicas(JsonObject rs) => (int)(rs["spec"].Long("replicas") ?? 1);

    /// <summary>status.replicas: pods the ReplicaSet controller has (not terminating).</summary>
    public static int ActualReplicas(JsonObject rs) => (int)(rs["status"].Long("replicas") ?? 0);

    public static int ReadyReplicas(JsonObject rs) => (int)(rs["status"].Long("readyReplicas") ?? 0);

    public static int AvailableReplicas(JsonObject rs) => (int)(rs["status"].Long("availableReplicas") ?? 0);

    public static int SumReplicas(IEnumerable<JsonObject?> rss) => rss.OfType<JsonObject>().Sum(Replicas);

    public static int SumActual(IEnumerable<JsonObject?> rss) => rss.OfType<JsonObject>().Sum(ActualReplicas);

    public static int SumReady(IEnumerable<JsonObject?> rss) => rss.OfType<JsonObject>().Sum(ReadyReplicas);

    public static int SumAvailable(IEnumerable<JsonObject?> rss) => rss.OfType<JsonObject>().Sum(AvailableReplicas);

    /// <summary>ReplicaSets asked for at least one pod.</summary>
    public static List<JsonObject> Active(IEnumerable<JsonObject?> rss) => rss.OfType<JsonObject>().Where(rs => Replicas(rs) > 0).ToList();

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] != null;

    /// <summary>Oldest first; ties by name, so the order is total and stable.</summary>
    public static List<JsonObject> OldestFirst(IEnumerable<JsonObject> rss) =>
        rss.OrderBy(PodStatus.CreationTime).ThenBy(rs => rs.Name(), StringComparer.Ordinal).ToList();

    public static List<JsonObject> NewestFirst(IEnumerable<JsonObject> rss) =>
        rss.OrderByDescending(PodStatus.CreationTime).ThenByDescending(rs => rs.Name(), StringComparer.Ordinal).ToList();

    /// <summary>Lowest revision first, creation time breaking ties: the order history is cleaned up in.</summary>
    public static List<JsonObject> ByRevision(IEnumerable<JsonObject> rss) =>
        rss.OrderBy(DeploymentAnnotations.RevisionOf).ThenBy(PodStatus.CreationTime).ThenBy(rs => rs.Name(), StringComparer.Ordinal).ToList();

    /// <summary>Largest first; among equals the newest first (where surplus replicas go when scaling up).</summary>
    public static List<JsonObject> BySizeNewer(IEnumerable<JsonObject> rss) =>
        rss.OrderByDescending(Replicas).ThenByDescending(PodStatus.CreationTime).ThenBy(rs => rs.Name(), StringComparer.Ordinal).ToList();

    /// <summary>Largest first; among equals the oldest first (where a shortfall is taken from when scaling down).</summary>
    public static List<JsonObject> BySizeOlder(IEnumerable<JsonObject> rss) =>
        rss.OrderByDescending(Replicas).ThenBy(PodStatus.CreationTime).ThenBy(rs => rs.Name(), StringComparer.Ordinal).ToList();

    /// <summary>
    /// The first ReplicaSet whose template equals the deployment's (ignoring the hash label); the oldest wins when
    /// several do, so a duplicate created in a race is treated as old and scaled away.
    /// </summary>
    public static JsonObject? FindNew(JsonObject deployment, IEnumerable<JsonObject> rss) =>
        OldestFirst(rss).FirstOrDefault(rs => PodTemplateHash.EqualIgnoringHash(rs["spec"]?["template"], deployment["spec"]?["template"]));

    /// <summary>
    /// The only ReplicaSet with replicas, the newest of all when none has any, or null when several have some (a
    /// rollout is under way and scaling must be proportional).
    /// </summary>
    public static JsonObject? FindActiveOrLatest(JsonObject? newRs, IReadOnlyList<JsonObject> oldRss)
    {
        if (newRs == null && oldRss.Count == 0) return null;
        var newestOld = NewestFirst(oldRss);
        var active = Active(newestOld.Append(newRs));
        return active.Count switch
        {
            0 => newRs ?? newestOld[0],
            1 => active[0],
            _ => null,
        };
    }
}
