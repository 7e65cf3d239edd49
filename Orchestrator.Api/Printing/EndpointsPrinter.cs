using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>
/// Endpoints: NAME ENDPOINTS AGE. ENDPOINTS lists ready "ip:port" pairs (bare IPs for subsets without ports),
/// at most three, then " + N more..." counting every pair left out.
/// </summary>
internal sealed class EndpointsPrinter : IResourcePrinter
{
    private const int Max = 3;

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Endpoints", "Ready addresses and ports of the service's backends."),
        TableColumn.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject ep, PrintContext context) =>
        [ep.Name() ?? "", Format(ep), context.Age(ep)];

    private static string Format(JsonObject ep)
    {
        var subsets = PrintFormat.Items(ep["subsets"]).ToList();
        if (subsets.Count == 0) return PrintFormat.None;

        var shown = new List<string>();
        var count = 0;
        foreach (var subset in subsets)
        {
            var ips = PrintFormat.Items(subset.At("addresses")).Select(a => a.Str("ip") ?? "").ToList();
            var ports = PrintFormat.Items(subset.At("ports")).ToList();
            if (ports.Count == 0)
            {
                // Headless services may publish addresses without ports.
                count += ips.Count;
                shown.AddRange(ips.Take(Max - shown.Count));
                continue;
            }
            foreach (var port in ports)
            {
                count += ips.Count;
                var number = PrintFormat.Int(port, "port").ToString();
                shown.AddRange(ips.Take(Max - shown.Count).Select(ip => JoinHostPort(ip, number)));
            }
        }

        var text = string.Join(",", shown);
        return count > Max ? $"{text} + {count - Max} more..." : text;
    }

    private static string JoinHostPort(string host, string port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
}
