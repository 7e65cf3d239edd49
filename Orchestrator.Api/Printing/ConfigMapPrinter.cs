using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>ConfigMaps: NAME DATA AGE; DATA counts keys of data and binaryData together.</summary>
internal sealed class ConfigMapPrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Data", "Number of keys in data and binaryData."),
        TableColumn.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject cm, PrintContext context) =>
        [cm.Name() ?? "", (long)(Count(cm["data"]) + Count(cm["binaryData"])), context.Age(cm)];

    private static int Count(JsonNode? map) => map is JsonObject o ? o.Count : 0;
}
