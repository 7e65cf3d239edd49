using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>Services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE [SELECTOR].</summary>
internal sealed class ServicePrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Type", "How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName."),
        TableColumn.Str("Cluster-IP", "Virtual IP of the service inside the cluster."),
        TableColumn.Str("External-IP", "Addresses the service is reachable at from outside the cluster."),
        TableColumn.Str("Port(s)", "Service ports, with the node port when there is one."),
        TableColumn.Age,
        TableColumn.Str("Selector", "Labels of the pods the service routes to.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject svc, PrintContext context)
    {
        var spec = svc["spec"];
        // The API server defaults an absent type to ClusterIP; print what it would have stored.
        var type = spec.Str("type") is { Length: > 0 } t ? t : "ClusterIP";

        var clusterIps = PrintFormat.Strings(spec.At("clusterIPs"));
        var clusterIp = clusterIps.Count > 0 ? clusterIps[0] : spec.Str("clusterIP");

        var ports = string.Join(",", PrintFormat.Items(spec.At("ports")).Select(Port));
        return
        [
            svc.Name() ?? "",
            type,
            PrintFormat.OrNone(clusterIp),
            ExternalIp(type, svc),
            PrintFormat.OrNone(ports),
            context.Age(svc),
            PrintFormat.Labels(spec.At("selector")),
        ];
    }

    private static string Port(JsonNode port)
    {
        var protocol = port.Str("protocol") is { Length: > 0 } p ? p : "TCP";
        var number = PrintFormat.Int(port, "port");
        var nodePort = PrintFormat.Int(port, "nodePort");
        return nodePort > 0 ? $"{number}:{nodePort}/{protocol}" : $"{number}/{protocol}";
    }

    private static string ExternalIp(string type, JsonObject svc)
    {
        var externalIps = PrintFormat.Strings(svc.At("spec.externalIPs"));
        switch (type)
        {
            case "ClusterIP" or "NodePort":
                return externalIps.Count > 0 ? string.Join(",", externalIps) : PrintFormat.None;
            case "LoadBalancer":
                var ingress = PrintFormat.Items(svc.At("status.loadBalancer.ingress"))
                    .Select(i => i.Str("ip") is { Length: > 0 } ip ? ip : i.Str("hostname"))
                    .Where(s => !string.IsNullOrEmpty(s))
                    .Cast<string>()
                    // Upstream collects ingress addresses in a set: de-duplicated and sorted.
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                var all = ingress.Concat(externalIps).ToList();
                return all.Count > 0 ? string.Join(",", all) : "<pending>";
            case "ExternalName":
                return svc.At("spec").Str("externalName") ?? "";
            default:
                return "<unknown>";
        }
    }
}
