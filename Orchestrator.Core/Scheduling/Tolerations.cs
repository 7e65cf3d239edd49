using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling;

/// <summary>Whether a pod's tolerations cover a node's taints, with upstream's matching rules.</summary>
public static class Tolerations
{
    public const string NoSchedule = "NoSchedule";
    public const string PreferNoSchedule = "PreferNoSchedule";
    public const string NoExecute = "NoExecute";

    public static IEnumerable<JsonObject> Of(JsonObject pod) =>
        (pod["spec"]?["tolerations"] as JsonArray)?.OfType<JsonObject>() ?? [];

    /// <summary>
    /// A toleration matches a taint when the effects agree (an empty effect matches all), the keys agree (an empty
    /// key with operator Exists matches every key) and, for operator Equal (the default), the values are equal.
    /// </summary>
    public static bool Tolerates(JsonObject toleration, string key, string? value, string effect)
    {
        var tEffect = toleration.Str("effect");
        if (!string.IsNullOrEmpty(tEffect) && tEffect != effect) return false;
        var tKey = toleration.Str("key");
        var op = toleration.Str("operator") is { Length: > 0 } o ? o : "Equal";
        if (string.IsNullOrEmpty(tKey)) return op == "Exists";
        if (tKey != key) return false;
        return op switch
        {
            "Exists" => true,
            "Equal" => (toleration.Str("value") ?? "") == (value ?? ""),
            _ => false,
        };
    }

    public static bool Tolerates(JsonObject pod, JsonObject taint) =>
        Of(pod).Any(t => Tolerates(t, taint.Str("key") ?? "", taint.Str("value"), taint.Str("effect") ?? ""));

    public static bool ToleratesAny(JsonObject pod, string key, params string[] effects) =>
        effects.Any(effect => Of(pod).Any(t => Tolerates(t, key, null, effect)));
}
