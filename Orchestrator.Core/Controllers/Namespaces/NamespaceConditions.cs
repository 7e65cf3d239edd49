using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Namespaces;

/// <summary>
/// The status conditions of a terminating namespace, with upstream's types, reasons and messages, so that
/// `kubectl describe namespace` explains what the deletion is waiting for.
/// </summary>
public static class NamespaceConditions
{
    public const string ContentFailure = "NamespaceDeletionContentFailure";
    public const string ContentRemaining = "NamespaceContentRemaining";
    public const string FinalizersRemaining = "NamespaceFinalizersRemaining";

    /// <summary>(type, status, reason, message) for what a pass found.</summary>
    public static IReadOnlyList<(string Type, string Status, string Reason, string Message)> For(NamespaceContent content) =>
    [
        ("NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered", "All resources successfully discovered"),
        ("NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions", "All legacy kube types successfully parsed"),
        content.Failures.Count == 0
            ? (ContentFailure, "False", "ContentDeleted", "All content successfully deleted, may be waiting on finalization")
            : (ContentFailure, "True", "ContentDeletionFailed", $"Failed to delete all resource types, {content.Failures.Count} remaining: {string.Join(", ", content.Failures)}"),
        content.Remaining.Count == 0
            ? (ContentRemaining, "False", "ContentRemoved", "All content successfully removed")
            : (ContentRemaining, "True", "SomeResourcesRemain",
                "Some resources are remaining: " + string.Join(", ", content.Remaining.Select(kv => $"{kv.Key} has {kv.Value} resource instances"))),
        content.Finalizers.Count == 0
            ? (FinalizersRemaining, "False", "ContentHasNoFinalizers", "All content-preserving finalizers finished")
            : (FinalizersRemaining, "True", "SomeFinalizersRemain",
                "Some content in the namespace has finalizers remaining: " + string.Join(", ", content.Finalizers.Select(kv => $"{kv.Key} in {kv.Value} resource instances"))),
    ];

    /// <summary>Merges the desired conditions into status.conditions; true when anything changed.</summary>
    public static bool Apply(JsonObject status, IReadOnlyList<(string Type, string Status, string Reason, string Message)> desired, string now)
    {
        var conditions = status["conditions"] as JsonArray;
        if (conditions == null)
        {
            conditions = [];
            status["conditions"] = conditions;
        }
        var changed = false;
        foreach (var (type, value, reason, message) in desired)
        {
            var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);
            if (existing == null)
            {
                conditions.Add(new JsonObject
                {
                    ["type"] = type, ["status"] = value, ["lastTransitionTime"] = now, ["reason"] = reason, ["message"] = message,
                });
                changed = true;
                continue;
            }
            if (existing.Str("status") != value)
            {
                existing["status"] = value;
                existing["lastTransitionTime"] = now;
                changed = true;
            }
            if (existing.Str("reason") != reason || existing.Str("message") != message)
            {
                existing["reason"] = reason;
                existing["message"] = message;
                changed = true;
            }
        }
        return changed;
    }
}
