using System.Text.Json.Nodes;
using Orchestrator.Api.Printing;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Api.Printing;

/// <summary>Builds tables at a fixed instant and reads cells back as text for compact assertions.</summary>
internal static class Print
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);

    /// <summary>An RFC 3339 timestamp <paramref name="ago"/> before <see cref="Now"/>.</summary>
    public static string Ago(TimeSpan ago) => (Now - ago).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    public static string Minutes(double m) => Ago(TimeSpan.FromMinutes(m));

    public static ResourceKind Kind(string group, string kind) =>
        ResourceCatalog.Default.Kinds.First(k => k.Group == group && k.Kind == kind);

    public static TablePrinter Printer() => new(new FixedTimeProvider(Now));

    public static JsonObject Table(string group, string kind, params string[] objectsJson) =>
        Printer().BuildTable(Kind(group, kind), objectsJson.Select(j => JsonNode.Parse(j)!.AsObject()).ToList(), "100", null, false);

    /// <summary>The cells of the single row, "|"-joined; numbers print as digits.</summary>
    public static string Row(string group, string kind, string objectJson)
    {
        var rows = (JsonArray)Table(group, kind, objectJson)["rows"]!;
        var cells = (JsonArray)rows.Single()!["cells"]!;
        return string.Join("|", cells.Select(Text));
    }

    public static string Text(JsonNode? cell) => cell switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => cell.ToJsonString(),
    };

    /// <summary>"Name:priority" for every column, "|"-joined.</summary>
    public static string Columns(string group, string kind) =>
        string.Join("|", Printer().ColumnsFor(Kind(group, kind)).Select(c => $"{c.Name}:{c.Priority}"));
}
