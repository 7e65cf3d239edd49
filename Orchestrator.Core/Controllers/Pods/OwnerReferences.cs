using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Pods;

/// <summary>Reading and building ownerReferences, the links the garbage collector and controllers follow.</summary>
public static class OwnerReferences
{
    /// <summary>The ownerReference with controller=true, if any.</summary>
    public static JsonObject? ControllerOf(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => r.Bool("controller") == true);

    public static bool IsControlledBy(JsonObject obj, JsonObject owner) => ControllerOf(obj)?.Str("uid") == owner.Uid();

    public static IEnumerable<JsonObject> All(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>() ?? [];

    /// <summary>A controller reference to <paramref name="owner"/> with blockOwnerDeletion, as controllers set it.</summary>
    public static JsonObject NewControllerRef(JsonObject owner) => new()
    {
        ["apiVersion"] = owner.ApiVersion(),
        ["kind"] = owner.Kind(),
        ["name"] = owner.Name(),
        ["uid"] = owner.Uid(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };
}
