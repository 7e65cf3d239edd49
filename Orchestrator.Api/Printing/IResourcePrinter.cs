using System.Text.Json.Nodes;

namespace Orchestrator.Api.Printing;

/// <summary>
/// Renders one kind as table cells. Cells are produced for every column, wide ones included, because the server
/// cannot know whether kubectl was asked for <c>-o wide</c>; kubectl drops columns by priority.
/// Implementations must not throw on objects with missing fields.
/// </summary>
internal interface IResourcePrinter
{
    IReadOnlyList<TableColumn> Columns { get; }

    IReadOnlyList<JsonNode?> Cells(JsonObject obj, PrintContext context);
}
