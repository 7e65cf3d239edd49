using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>Secrets: NAME TYPE DATA AGE.</summary>
internal sealed class SecretPrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Type", "Type of the secret, e.g. Opaque or kubernetes.io/tls."),
        TableColumn.Str("Data", "Number of keys in data."),
        TableColumn.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject secret, PrintContext context) =>
    [
        secret.Name() ?? "",
        secret.Str("type") ?? "",
        (long)(secret["data"] is JsonObject data ? data.Count : 0),
        context.Age(secret),
    ];
}
