using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>
/// ControllerRevisions: NAME CONTROLLER REVISION AGE. CONTROLLER is the controlling owner as
/// "kind.group/name" in lower case ("daemonset.apps/fluentd"), "&lt;none&gt;" without one.
/// </summary>
internal sealed class ControllerRevisionPrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Controller", "Object that owns and controls this revision."),
        TableColumn.Str("Revision", "Revision number of the state captured."),
        TableColumn.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject cr, PrintContext context) =>
        [cr.Name() ?? "", Controller(cr), PrintFormat.Int(cr, "revision"), context.Age(cr)];

    private static string Controller(JsonObject cr)
    {
        var owner = PrintFormat.Items(cr.At("metadata.ownerReferences")).FirstOrDefault(o => o.Bool("controller") == true);
        if (owner == null) return PrintFormat.None;
        var apiVersion = owner.Str("apiVersion") ?? "";
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var kind = owner.Str("kind") ?? "";
        var name = owner.Str("name") ?? "";
        if (kind.Length == 0 && group.Length == 0) return name;
        var groupKind = group.Length == 0 ? kind : $"{kind}.{group}";
        return $"{groupKind.ToLowerInvariant()}/{name}";
    }
}
