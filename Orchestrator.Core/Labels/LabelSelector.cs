using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Labels;

/// <summary>
/// An immutable label selector: an AND of requirements, kept sorted by key so that <see cref="ToString"/> gives the
/// canonical form used in Scale <c>status.selector</c> and the wide Selector columns.
/// Two selectors have no requirements: <see cref="Everything"/> (matches every object) and <see cref="Nothing"/>
/// (matches none, the meaning of a null <c>metav1.LabelSelector</c>). Both print as the empty string.
/// </summary>
public sealed class LabelSelector
{
    public static LabelSelector Everything { get; } = new([], matchesNothing: false);
    public static LabelSelector Nothing { get; } = new([], matchesNothing: true);

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True for the null-selector semantics: nothing matches.</summary>
    public bool MatchesNothing { get; }

    /// <summary>True when every set of labels matches (no requirements and not <see cref="Nothing"/>).</summary>
    public bool IsEverything => !MatchesNothing && Requirements.Count == 0;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool matchesNothing)
    {
        Requirements = requirements;
        MatchesNothing = matchesNothing;
    }

    public static LabelSelector FromRequirements(IEnumerable<LabelRequirement> requirements) =>
        new(requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToList(), matchesNothing: false);

    /// <summary>Parses the string grammar; null or blank means <see cref="Everything"/>. Errors throw 400.</summary>
    public static LabelSelector Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return Everything;
        return FromRequirements(LabelSelectorParser.Parse(selector));
    }

    /// <summary>
    /// From a plain map (Service and ReplicationController selectors): every pair must match exactly.
    /// An empty or missing map gives <see cref="Everything"/>; callers for which that means "select nothing"
    /// (a Service without selector) decide that themselves.
    /// </summary>
    public static LabelSelector FromMap(IReadOnlyDictionary<string, string>? map)
    {
        if (map == null || map.Count == 0) return Everything;
        return FromRequirements(map.Select(kv => LabelRequirement.Create(kv.Key, SelectorOperator.Equals, [kv.Value])));
    }

    /// <summary>From a JSON map node such as <c>spec.selector</c> of a Service; non-objects give <see cref="Everything"/>.</summary>
    public static LabelSelector FromMap(JsonNode? map) => FromMap(KubeObject.StringMap(map));

    /// <summary>
    /// From a <c>metav1.LabelSelector</c> (matchLabels and matchExpressions). A null or non-object node gives
    /// <see cref="Nothing"/>; an object with neither field gives <see cref="Everything"/>, as upstream.
    /// Invalid operators or values throw 400.
    /// </summary>
    public static LabelSelector FromJson(JsonNode? selector)
    {
        if (selector is not JsonObject o) return Nothing;
        var requirements = new List<LabelRequirement>();
        foreach (var (k, v) in KubeObject.StringMap(o["matchLabels"]))
            requirements.Add(LabelRequirement.Create(k, SelectorOperator.Equals, [v]));

        if (o["matchExpressions"] is JsonArray expressions)
            foreach (var e in expressions)
            {
                var key = e.Str("key") ?? "";
                var opText = e.Str("operator") ?? "";
                var op = opText switch
                {
                    "In" => SelectorOperator.In,
                    "NotIn" => SelectorOperator.NotIn,
                    "Exists" => SelectorOperator.Exists,
                    "DoesNotExist" => SelectorOperator.DoesNotExist,
                    _ => throw ApiException.BadRequest($"\"{opText}\" is not a valid label selector operator"),
                };
                var values = new List<string>();
                if (e.At("values") is JsonArray va)
                    foreach (var item in va)
                        if (item is JsonValue jv && jv.TryGetValue<string>(out var s)) values.Add(s);
                requirements.Add(LabelRequirement.Create(key, op, values));
            }

        return requirements.Count == 0 ? Everything : FromRequirements(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        if (MatchesNothing) return false;
        foreach (var r in Requirements)
            if (!r.Matches(labels)) return false;
        return true;
    }

    /// <summary>Canonical string; empty for <see cref="Everything"/> and <see cref="Nothing"/>.</summary>
    public override string ToString() => string.Join(",", Requirements.Select(r => r.ToString()));
}
