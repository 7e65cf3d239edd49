using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>ServiceAccounts: NAME SECRETS AGE.</summary>
internal sealed class ServiceAccountPrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Secrets", "Number of secrets listed on the service account."),
        TableColumn.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject sa, PrintContext context) =>
        [sa.Name() ?? "", (long)PrintFormat.Items(sa["secrets"]).Count(), context.Age(sa)];
}
