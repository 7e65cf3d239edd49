using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Labels;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>Small formatting rules shared by several printers, each named after the upstream helper it stands for.</summary>
internal static class PrintFormat
{
    public const string None = "<none>";

    /// <summary>Comma-joined container names and images of a pod spec (layoutContainerCells).</summary>
    public static (string Names, string Images) Containers(JsonNode? podSpec)
    {
        var names = new List<string>();
        var images = new List<string>();
        if (podSpec.At("containers") is JsonArray containers)
            foreach (var c in containers)
            {
                names.Add(c.Str("name") ?? "");
                images.Add(c.Str("image") ?? "");
            }
        return (string.Join(",", names), string.Join(",", images));
    }

    /// <summary>A plain label map as "k1=v1,k2=v2" sorted by key, "&lt;none&gt;" when empty (labels.FormatLabels).</summary>
    public static string Labels(JsonNode? map)
    {
        var pairs = KubeObject.StringMap(map);
        if (pairs.Count == 0) return None;
        return string.Join(",", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>A metav1.LabelSelector in canonical form; "&lt;none&gt;" when it selects everything or nothing (FormatLabelSelector).</summary>
    public static string LabelSelectorOrNone(JsonNode? selector)
    {
        var s = LabelSelectorString(selector);
        return s.Length == 0 ? None : s;
    }

    /// <summary>A metav1.LabelSelector in canonical form, empty when it has no requirements; <paramref name="invalid"/> when it cannot be read.</summary>
    public static string LabelSelectorString(JsonNode? selector, string invalid = "<error>")
    {
        try
        {
            return LabelSelector.FromJson(selector).ToString();
        }
        catch (ApiException)
        {
            return invalid;
        }
    }

    public static long Int(JsonNode? node, string property) => node.Long(property) ?? 0;

    public static IEnumerable<JsonNode> Items(JsonNode? array) =>
        array is JsonArray a ? a.OfType<JsonNode>() : [];

    public static IReadOnlyList<string> Strings(JsonNode? array) =>
        Items(array).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).Where(s => s != null).ToList()!;

    /// <summary>True when <c>status.conditions</c> holds a condition of <paramref name="type"/> with status "True".</summary>
    public static bool HasTrueCondition(JsonNode? obj, string type) =>
        Items(obj.At("status.conditions")).Any(c => c.Str("type") == type && c.Str("status") == "True");

    public static string OrNone(string? s) => string.IsNullOrEmpty(s) ? None : s;
}
