using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Agent.Network.Programming;

/// <summary>
/// Reads iproute2's JSON output (<c>ip -j</c>): steadier to parse than its text, and it carries address labels and
/// route protocols as fields. Unknown fields are ignored; entries that are not IPv4 are skipped.
/// </summary>
public static class IpJson
{
    /// <summary><c>ip -j -4 addr show dev IF</c> → the interface's state (an empty array: it does not exist).</summary>
    public static LinkState ParseLink(string json, string interfaceName)
    {
        if (JsonNode.Parse(Trimmed(json)) is not JsonArray links) throw new FormatException("ip addr: not a JSON array");
        foreach (var link in links.OfType<JsonObject>())
        {
            if (Str(link, "ifname") != interfaceName) continue;
            var flags = (link["flags"] as JsonArray)?.Select(f => f?.GetValue<string>()).ToList() ?? [];
            var addresses = new List<LinkAddress>();
            foreach (var info in (link["addr_info"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Str(info, "family") != "inet" || !IPAddress.TryParse(Str(info, "local"), out var ip)) continue;
                var prefix = info["prefixlen"] is JsonValue v && v.TryGetValue<int>(out var p) ? p : 32;
                addresses.Add(new LinkAddress(ip, prefix, Str(info, "label") ?? interfaceName));
            }
            return new LinkState(true, flags.Contains("UP"), addresses);
        }
        return LinkState.Missing;
    }

    /// <summary><c>ip -j -4 route show table main</c> → its routes.</summary>
    public static IReadOnlyList<KernelRoute> ParseRoutes(string json)
    {
        if (JsonNode.Parse(Trimmed(json)) is not JsonArray routes) throw new FormatException("ip route: not a JSON array");
        var result = new List<KernelRoute>();
        foreach (var r in routes.OfType<JsonObject>())
        {
            var dst = Str(r, "dst");
            Ipv4Cidr? destination = null;
            if (dst != "default")
            {
                if (dst is null) continue;
                // A host route prints without a prefix length.
                if (!Ipv4Cidr.TryParse(dst.Contains('/') ? dst : dst + "/32", out destination)) continue;
            }
            IPAddress? gateway = IPAddress.TryParse(Str(r, "gateway"), out var g) ? g : null;
            result.Add(new KernelRoute(destination, Str(r, "type") ?? "unicast", gateway, Str(r, "dev"), Str(r, "protocol") ?? "", Str(r, "scope")));
        }
        return result;
    }

    // iproute2 prints an empty document for an empty result in some versions.
    private static string Trimmed(string json) => string.IsNullOrWhiteSpace(json) ? "[]" : json;

    private static string? Str(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : o[name]?.ToString();
}
