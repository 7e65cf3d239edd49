using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>Deployments: NAME READY UP-TO-DATE AVAILABLE AGE [CONTAINERS IMAGES SELECTOR]; the counts are integer cells.</summary>
internal sealed class DeploymentPrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Ready", "Ready pods out of desired replicas."),
        TableColumn.Str("Up-to-date", "Pods running the current pod template."),
        TableColumn.Str("Available", "Pods ready for at least minReadySeconds."),
        TableColumn.Age,
        TableColumn.Containers,
        TableColumn.Images,
        TableColumn.Str("Selector", "Label query over the pods the deployment manages.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject d, PrintContext context)
    {
        var status = d["status"];
        // spec.replicas defaults to 1 when unset.
        var desired = d.At("spec").Long("replicas") ?? 1;
        var (names, images) = PrintFormat.Containers(d.At("spec.template.spec"));
        return
        [
            d.Name() ?? "",
            $"{PrintFormat.Int(status, "readyReplicas")}/{desired}",
            PrintFormat.Int(status, "updatedReplicas"),
            PrintFormat.Int(status, "availableReplicas"),
            context.Age(d),
            names,
            images,
            PrintFormat.LabelSelectorString(d.At("spec.selector"), invalid: "<invalid>"),
        ];
    }
}
