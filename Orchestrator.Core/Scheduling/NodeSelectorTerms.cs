using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Scheduling;

/// <summary>
/// Evaluates a v1 NodeSelectorTerm against a node: every matchExpression (on labels) and every matchField (only
/// <c>metadata.name</c> is selectable) must hold. A term with neither matches no node, as upstream decides.
/// </summary>
public static class NodeSelectorTerms
{
    public static bool Matches(JsonObject? term, JsonObject node)
    {
        if (term == null) return false;
        var expressions = (term["matchExpressions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var fields = (term["matchFields"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (expressions.Count == 0 && fields.Count == 0) return false;
        var labels = node.Labels();
        foreach (var e in expressions)
            if (!RequirementHolds(e, labels.TryGetValue(e.Str("key") ?? "", out var v) ? v : null)) return false;
        foreach (var f in fields)
        {
            if (f.Str("key") != "metadata.name") return false;
            if (f.Str("operator") is not ("In" or "NotIn")) return false;
            if (!RequirementHolds(f, node.Name())) return false;
        }
        return true;
    }

    /// <summary>Any of the terms matches (terms are ORed).</summary>
    public static bool AnyMatches(JsonArray? terms, JsonObject node) =>
        terms?.OfType<JsonObject>().Any(t => Matches(t, node)) ?? false;

    /// <summary>One NodeSelectorRequirement against the value present on the node (null when absent).</summary>
    public static bool RequirementHolds(JsonObject requirement, string? actual)
    {
        var values = (requirement["values"] as JsonArray)?.Select(v => v?.GetValue<string>()).OfType<string>().ToList() ?? [];
        switch (requirement.Str("operator"))
        {
            case "In":
                return actual != null && values.Contains(actual);
            case "NotIn":
                return actual == null || !values.Contains(actual);
            case "Exists":
                return actual != null;
            case "DoesNotExist":
                return actual == null;
            case "Gt":
            case "Lt":
                if (values.Count != 1 || actual == null) return false;
                if (!long.TryParse(actual, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var have)) return false;
                if (!long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var want)) return false;
                return requirement.Str("operator") == "Gt" ? have > want : have < want;
            default:
                return false;
        }
    }
}
