using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>
/// ReplicaSets and ReplicationControllers: NAME DESIRED CURRENT READY AGE [CONTAINERS IMAGES SELECTOR].
/// The only difference is the selector: a metav1.LabelSelector for ReplicaSets, a plain map for ReplicationControllers.
/// </summary>
internal sealed class ReplicaSetPrinter(bool mapSelector) : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Int("Desired", "Desired number of pods (spec.replicas)."),
        TableColumn.Int("Current", "Number of pods that exist (status.replicas)."),
        TableColumn.Int("Ready", "Number of ready pods."),
        TableColumn.Age,
        TableColumn.Containers,
        TableColumn.Images,
        TableColumn.Str("Selector", "Label query over the pods the controller manages.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject rs, PrintContext context)
    {
        var status = rs["status"];
        var (names, images) = PrintFormat.Containers(rs.At("spec.template.spec"));
        var selector = rs.At("spec.selector");
        return
        [
            rs.Name() ?? "",
            rs.At("spec").Long("replicas") ?? 1,
            PrintFormat.Int(status, "replicas"),
            PrintFormat.Int(status, "readyReplicas"),
            context.Age(rs),
            names,
            images,
            mapSelector ? PrintFormat.Labels(selector) : PrintFormat.LabelSelectorOrNone(selector),
        ];
    }
}
