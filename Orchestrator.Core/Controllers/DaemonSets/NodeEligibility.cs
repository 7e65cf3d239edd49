using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.DaemonSets;

/// <summary>
/// Whether a node should run a DaemonSet's pod, judged on the pod template as upstream's daemon controller does:
/// nodeSelector, required node affinity and taints (with the default DaemonSet tolerations added). Two answers,
/// because taints split them: an untolerated NoSchedule taint stops a new pod but leaves a running one alone, an
/// untolerated NoExecute taint does both.
/// </summary>
public static class NodeEligibility
{
    /// <summary>(shouldRun, shouldContinueRunning) for <paramref name="podSpec"/> (tolerations already defaulted) on <paramref name="node"/>.</summary>
    public static (bool ShouldRun, bool ShouldContinueRunning) Evaluate(JsonObject node, JsonObject podSpec)
    {
        if (!MatchesNodeSelector(node, podSpec) || !MatchesRequiredAffinity(node, podSpec)) return (false, false);
        var tolerations = (podSpec["tolerations"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var taints = (node["spec"]?["taints"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var noExecuteOk = taints.Where(t => t.Str("effect") == "NoExecute").All(t => tolerations.Any(tol => Tolerates(tol, t)));
        var noScheduleOk = taints.Where(t => t.Str("effect") == "NoSchedule").All(t => tolerations.Any(tol => Tolerates(tol, t)));
        // New pods only go to Ready nodes: the scheduler would not bind them elsewhere anyway. A pod already on a
        // node that turns NotReady stays (it tolerates not-ready/unreachable), as upstream keeps it.
        return (noExecuteOk && noScheduleOk && IsReady(node), noExecuteOk);
    }

    public static bool IsReady(JsonObject node) =>
        (node["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c.Str("type") == "Ready")?.Str("status") == "True";

    public static bool MatchesNodeSelector(JsonObject node, JsonObject podSpec)
    {
        var labels = node.Labels();
        foreach (var (k, v) in KubeObject.StringMap(podSpec["nodeSelector"]))
            if (!labels.TryGetValue(k, out var actual) || actual != v) return false;
        return true;
    }

    /// <summary>requiredDuringSchedulingIgnoredDuringExecution: the terms are ORed, a term's requirements ANDed.</summary>
    public static bool MatchesRequiredAffinity(JsonObject node, JsonObject podSpec)
    {
        if (podSpec.At("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution") is not JsonObject required) return true;
        var terms = (required["nodeSelectorTerms"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (terms.Count == 0) return false;
        var labels = node.Labels();
        var fields = new Dictionary<string, string> { ["metadata.name"] = node.Name() ?? "" };
        return terms.Any(term =>
        {
            var exprs = (term["matchExpressions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            var fieldExprs = (term["matchFields"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            // An empty term matches no objects (upstream's rule).
            if (exprs.Count == 0 && fieldExprs.Count == 0) return false;
            return exprs.All(e => Matches(e, labels)) && fieldExprs.All(e => Matches(e, fields));
        });
    }

    private static bool Matches(JsonObject req, IReadOnlyDictionary<string, string> values)
    {
        var key = req.Str("key") ?? "";
        var list = (req["values"] as JsonArray)?.Select(v => v?.GetValue<string>() ?? "").ToList() ?? [];
        var has = values.TryGetValue(key, out var value);
        return req.Str("operator") switch
        {
            "In" => has && list.Contains(value!),
            "NotIn" => !has || !list.Contains(value!),
            "Exists" => has,
            "DoesNotExist" => !has,
            "Gt" => has && list.Count == 1 && long.TryParse(value, CultureInfo.InvariantCulture, out var a) &&
                    long.TryParse(list[0], CultureInfo.InvariantCulture, out var b) && a > b,
            "Lt" => has && list.Count == 1 && long.TryParse(value, CultureInfo.InvariantCulture, out var c) &&
                    long.TryParse(list[0], CultureInfo.InvariantCulture, out var d) && c < d,
            _ => false,
        };
    }

    /// <summary>A toleration tolerates a taint when effects agree (empty = all) and key/value match per the operator.</summary>
    public static bool Tolerates(JsonObject toleration, JsonObject taint)
    {
        var effect = toleration.Str("effect");
        if (!string.IsNullOrEmpty(effect) && effect != taint.Str("effect")) return false;
        var key = toleration.Str("key");
        if (!string.IsNullOrEmpty(key) && key != taint.Str("key")) return false;
        return (toleration.Str("operator") ?? "Equal") switch
        {
            "Exists" => true,
            // An empty key with Equal is invalid upstream; treat it as not matching.
            "Equal" => !string.IsNullOrEmpty(key) && (toleration.Str("value") ?? "") == (taint.Str("value") ?? ""),
            _ => false,
        };
    }
}
