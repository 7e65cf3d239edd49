using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>EndpointSlices: NAME ADDRESSTYPE PORTS ENDPOINTS AGE; lists cut at three with " + N more...", "&lt;unset&gt;" when empty.</summary>
internal sealed class EndpointSlicePrinter : IResourcePrinter
{
    private const int Max = 3;

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("AddressType", "Type of the addresses in the slice: IPv4, IPv6 or FQDN."),
        TableColumn.Str("Ports", "Ports exposed by the endpoints of the slice."),
        TableColumn.Str("Endpoints", "Addresses of the endpoints in the slice."),
        TableColumn.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject slice, PrintContext context)
    {
        var ports = PrintFormat.Items(slice["ports"])
            .Select(p => p.Long("port") is { } n ? n.ToString() : p.Str("name") ?? "*")
            .ToList();
        var addresses = PrintFormat.Items(slice["endpoints"]).SelectMany(e => PrintFormat.Strings(e.At("addresses"))).ToList();
        return [slice.Name() ?? "", slice.Str("addressType") ?? "", Cut(ports), Cut(addresses), context.Age(slice)];
    }

    private static string Cut(IReadOnlyList<string> items)
    {
        if (items.Count > Max) return $"{string.Join(",", items.Take(Max))} + {items.Count - Max} more...";
        return items.Count == 0 ? "<unset>" : string.Join(",", items);
    }
}
