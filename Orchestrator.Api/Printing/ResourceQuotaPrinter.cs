using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>
/// ResourceQuotas: NAME REQUEST LIMIT AGE (AGE moved last in recent releases). Each hard limit prints as "resource: used/hard"; those named
/// "limits.*" go to LIMIT, all others to REQUEST. Resources are ordered by name.
/// </summary>
internal sealed class ResourceQuotaPrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Request", "Used and hard amounts of every quota item other than limits.*."),
        TableColumn.Str("Limit", "Used and hard amounts of the limits.* quota items."),
        TableColumn.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject quota, PrintContext context)
    {
        var hard = KubeObject.StringMap(quota.At("status.hard"));
        var used = KubeObject.StringMap(quota.At("status.used"));
        var requests = new List<string>();
        var limits = new List<string>();
        foreach (var resource in hard.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            var entry = $"{resource}: {used.GetValueOrDefault(resource, "0")}/{hard[resource]}";
            var dot = resource.IndexOf('.');
            (dot > 0 && resource[..dot] == "limits" ? limits : requests).Add(entry);
        }
        return [quota.Name() ?? "", string.Join(", ", requests), string.Join(", ", limits), context.Age(quota)];
    }
}
