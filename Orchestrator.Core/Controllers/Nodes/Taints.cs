using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Nodes;

/// <summary>The taints the node lifecycle controller manages, and toleration matching as upstream defines it.</summary>
public static class Taints
{
    public const string Unreachable = "node.kubernetes.io/unreachable";
    public const string NotReady = "node.kubernetes.io/not-ready";
    public const string NoSchedule = "NoSchedule";
    public const string NoExecute = "NoExecute";

    public static bool IsNodeLifecycleKey(string? key) => key is Unreachable or NotReady;

    public static IReadOnlyList<JsonObject> Of(JsonObject node) =>
        (node["spec"]?["taints"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];

    public static IReadOnlyList<JsonObject> TolerationsOf(JsonObject pod) =>
        (pod["spec"]?["tolerations"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];

    /// <summary>
    /// Whether <paramref name="toleration"/> tolerates <paramref name="taint"/>: same effect (or none given), same key
    /// (or none given with operator Exists, which matches every taint), and operator Exists or an equal value.
    /// </summary>
    public static bool Tolerates(JsonObject toleration, JsonObject taint)
    {
        var effect = toleration.Str("effect");
        if (!string.IsNullOrEmpty(effect) && effect != taint.Str("effect")) return false;
        var op = toleration.Str("operator") is { Length: > 0 } o ? o : "Equal";
        var key = toleration.Str("key");
        if (string.IsNullOrEmpty(key)) return op == "Exists";
        if (key != taint.Str("key")) return false;
        return op == "Exists" || (toleration.Str("value") ?? "") == (taint.Str("value") ?? "");
    }
}
