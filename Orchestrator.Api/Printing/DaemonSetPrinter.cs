using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>DaemonSets: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE-SELECTOR AGE [CONTAINERS IMAGES SELECTOR].</summary>
internal sealed class DaemonSetPrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Int("Desired", "Nodes that should run the daemon pod."),
        TableColumn.Int("Current", "Nodes running at least one daemon pod."),
        TableColumn.Int("Ready", "Nodes whose daemon pod is ready."),
        TableColumn.Int("Up-to-date", "Nodes running the current pod template."),
        TableColumn.Int("Available", "Nodes whose daemon pod has been available for minReadySeconds."),
        TableColumn.Str("Node Selector", "Node labels a node must carry to run the pod."),
        TableColumn.Age,
        TableColumn.Containers,
        TableColumn.Images,
        TableColumn.Str("Selector", "Label query over the pods the daemon set manages.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject ds, PrintContext context)
    {
        var status = ds["status"];
        var (names, images) = PrintFormat.Containers(ds.At("spec.template.spec"));
        return
        [
            ds.Name() ?? "",
            PrintFormat.Int(status, "desiredNumberScheduled"),
            PrintFormat.Int(status, "currentNumberScheduled"),
            PrintFormat.Int(status, "numberReady"),
            PrintFormat.Int(status, "updatedNumberScheduled"),
            PrintFormat.Int(status, "numberAvailable"),
            PrintFormat.Labels(ds.At("spec.template.spec.nodeSelector")),
            context.Age(ds),
            names,
            images,
            PrintFormat.LabelSelectorOrNone(ds.At("spec.selector")),
        ];
    }
}
