using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>
/// Nodes: NAME STATUS ROLES AGE VERSION [INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME].
/// STATUS is "Ready" when the Ready condition is True, "NotReady" for any other value, "Unknown" without the
/// condition, plus ",SchedulingDisabled" for cordoned nodes. ROLES come from node-role.kubernetes.io/&lt;role&gt;
/// label keys and the kubernetes.io/role label value, sorted.
/// </summary>
internal sealed class NodePrinter : IResourcePrinter
{
    private const string RolePrefix = "node-role.kubernetes.io/";
    private const string RoleLabel = "kubernetes.io/role";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Status", "Readiness of the node and whether it accepts new pods."),
        TableColumn.Str("Roles", "Roles of the node, from its node-role labels."),
        TableColumn.Age,
        TableColumn.Str("Version", "Kubelet version reported by the node."),
        TableColumn.Str("Internal-IP", "First InternalIP address of the node.", 1),
        TableColumn.Str("External-IP", "First ExternalIP address of the node.", 1),
        TableColumn.Str("OS-Image", "Operating system image reported by the node.", 1),
        TableColumn.Str("Kernel-Version", "Kernel version reported by the node.", 1),
        TableColumn.Str("Container-Runtime", "Container runtime name and version reported by the node.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject node, PrintContext context)
    {
        var status = node["status"];
        var info = status.At("nodeInfo");
        var ready = PrintFormat.Items(status.At("conditions")).LastOrDefault(c => c.Str("type") == "Ready");
        var states = new List<string> { ready == null ? "Unknown" : ready.Str("status") == "True" ? "Ready" : "NotReady" };
        if (node.At("spec").Bool("unschedulable") == true) states.Add("SchedulingDisabled");

        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Labels())
        {
            if (key.StartsWith(RolePrefix, StringComparison.Ordinal) && key.Length > RolePrefix.Length)
                roles.Add(key[RolePrefix.Length..]);
            else if (key == RoleLabel && value.Length > 0)
                roles.Add(value);
        }

        return
        [
            node.Name() ?? "",
            string.Join(",", states),
            roles.Count > 0 ? string.Join(",", roles) : PrintFormat.None,
            context.Age(node),
            info.Str("kubeletVersion") ?? "",
            Address(status, "InternalIP"),
            Address(status, "ExternalIP"),
            Unknown(info.Str("osImage")),
            Unknown(info.Str("kernelVersion")),
            Unknown(info.Str("containerRuntimeVersion")),
        ];
    }

    private static string Address(JsonNode? status, string type) =>
        PrintFormat.OrNone(PrintFormat.Items(status.At("addresses")).FirstOrDefault(a => a.Str("type") == type).Str("address"));

    private static string Unknown(string? s) => string.IsNullOrEmpty(s) ? "<unknown>" : s;
}
