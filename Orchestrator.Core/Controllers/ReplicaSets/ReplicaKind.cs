using System.Text.Json.Nodes;
using Orchestrator.Core.Labels;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.ReplicaSets;

/// <summary>
/// What differs between the two replica-keeping kinds; everything else is one reconcile
/// (<see cref="ReplicaControllerBase"/>), as upstream runs the ReplicationController manager on the ReplicaSet code.
/// </summary>
/// <param name="Resource">apps/v1 ReplicaSet or core/v1 ReplicationController.</param>
/// <param name="ControllerName">The controller's name in logs and leader-elected runs.</param>
/// <param name="SelectorOf">The pod selector of an owner; throws 400 when it cannot be parsed.</param>
public sealed record ReplicaKind(ResourceKind Resource, string ControllerName, Func<JsonObject, LabelSelector> SelectorOf)
{
    /// <summary>metav1.LabelSelector (matchLabels, matchExpressions); a missing selector selects nothing.</summary>
    public static ReplicaKind ReplicaSet { get; } = new(
        Kinds.ReplicaSet, "replicaset-controller", rs => LabelSelector.FromJson(rs["spec"]?["selector"]));

    /// <summary>
    /// A plain map that defaults to the template's labels. Admission defaults it already; the fallback here keeps an
    /// RC stored before that defaulting from selecting every pod in its namespace (an empty map would).
    /// </summary>
    public static ReplicaKind ReplicationController { get; } = new(
        Kinds.ReplicationController, "replication-controller", ReplicationControllerSelector);

    private static LabelSelector ReplicationControllerSelector(JsonObject rc)
    {
        var map = KubeObject.StringMap(rc["spec"]?["selector"]);
        if (map.Count == 0) map = KubeObject.StringMap(rc.At("spec.template.metadata.labels"));
        return map.Count == 0 ? LabelSelector.Nothing : LabelSelector.FromMap(map);
    }
}
