using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>Leases: NAME HOLDER AGE; HOLDER is empty while nobody holds the lease.</summary>
internal sealed class LeasePrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Holder", "Identity of the current holder of the lease."),
        TableColumn.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject lease, PrintContext context) =>
        [lease.Name() ?? "", lease.At("spec").Str("holderIdentity") ?? "", context.Age(lease)];
}
