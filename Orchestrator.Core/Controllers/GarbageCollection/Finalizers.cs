using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.GarbageCollection;

/// <summary>The deletion finalizers the garbage collector owns, and reading/removing finalizers of an object.</summary>
public static class Finalizers
{
    /// <summary>Set by a DELETE with propagationPolicy Foreground: the owner waits for its blocking dependents.</summary>
    public const string ForegroundDeletion = "foregroundDeletion";

    /// <summary>Set by a DELETE with propagationPolicy Orphan: the dependents lose their ownerReference first.</summary>
    public const string Orphan = "orphan";

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] != null;

    public static bool Has(JsonObject obj, string finalizer) =>
        (obj["metadata"]?["finalizers"] as JsonArray)?.Any(f => f is JsonValue v && v.TryGetValue<string>(out var s) && s == finalizer) == true;

    public static IEnumerable<string> All(JsonObject obj) =>
        (obj["metadata"]?["finalizers"] as JsonArray)?.OfType<JsonValue>()
            .Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>() ?? [];

    /// <summary>Removes <paramref name="finalizer"/> in place; false when it was not there. An emptied list is dropped.</summary>
    public static bool Remove(JsonObject obj, string finalizer)
    {
        if (obj["metadata"]?["finalizers"] is not JsonArray list) return false;
        var kept = list.Where(f => !(f is JsonValue v && v.TryGetValue<string>(out var s) && s == finalizer)).Select(f => f?.DeepClone()).ToArray();
        if (kept.Length == list.Count) return false;
        var meta = obj.Metadata();
        if (kept.Length == 0) meta.Remove("finalizers");
        else meta["finalizers"] = new JsonArray(kept);
        return true;
    }

    /// <summary>Being deleted and waiting for the garbage collector: foreground (dependents first) or orphan.</summary>
    public static bool AwaitsCollector(JsonObject obj) => IsDeleting(obj) && (Has(obj, ForegroundDeletion) || Has(obj, Orphan));
}
