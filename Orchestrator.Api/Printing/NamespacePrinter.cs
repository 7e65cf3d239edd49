using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>Namespaces: NAME STATUS AGE.</summary>
internal sealed class NamespacePrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Status", "Phase of the namespace: Active or Terminating."),
        TableColumn.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject ns, PrintContext context) =>
        [ns.Name() ?? "", ns.At("status").Str("phase") ?? "", context.Age(ns)];
}
