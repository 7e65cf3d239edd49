using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>
/// NAME CREATED-AT: the apiserver's default table for kinds without a printer, also what upstream prints for
/// LimitRanges. The date cell is RFC 3339; kubectl renders "date" columns itself.
/// </summary>
internal sealed class CreatedAtPrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Created At", "date", "", "Time the object was created (metadata.creationTimestamp).", 0),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, PrintContext context)
    {
        // A missing timestamp is Go's zero time, which upstream formats as year 1.
        var created = PrintContext.ParseTime(obj["metadata"].Str("creationTimestamp")) ?? DateTimeOffset.MinValue;
        return [obj.Name() ?? "", KubeTime.Format(created)];
    }
}
