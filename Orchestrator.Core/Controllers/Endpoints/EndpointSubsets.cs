using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>
/// Packs (address, port) pairs into Endpoints subsets the way upstream's RepackSubsets does, and truncates them to
/// the 1000-address capacity:
/// <list type="number">
/// <item>map each distinct port to the set of addresses (with their readiness) offering it;</item>
/// <item>ports offered by exactly the same address set share a subset; addresses without ports (headless service
///   without ports) form a subset of their own;</item>
/// <item>sort addresses by IP then pod uid, ports by name/number/protocol, and subsets by their content, so that the
///   same input always gives the same object and an unchanged service causes no write.</item>
/// </list>
/// </summary>
public sealed class EndpointSubsets
{
    private const string NoPort = "";

    private readonly Dictionary<string, (JsonObject? Port, SortedDictionary<string, (JsonObject Address, bool Ready)> Addresses)> _byPort =
        new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="address"/> offers <paramref name="port"/> (null: no ports at all).</summary>
    public void Add(JsonObject address, bool ready, JsonObject? port)
    {
        var portKey = port == null ? NoPort : PortKey(port);
        if (!_byPort.TryGetValue(portKey, out var entry))
        {
            entry = (port, new SortedDictionary<string, (JsonObject, bool)>(StringComparer.Ordinal));
            _byPort[portKey] = entry;
        }
        entry.Addresses[$"{AddressKey(address)}|{(ready ? 1 : 0)}"] = (address, ready);
    }

    public List<EndpointSubset> Build()
    {
        var groups = new Dictionary<string, EndpointSubset>(StringComparer.Ordinal);
        foreach (var (portKey, (port, addresses)) in _byPort)
        {
            var setKey = string.Join(",", addresses.Keys);
            if (!groups.TryGetValue(setKey, out var subset))
            {
                subset = new EndpointSubset();
                foreach (var (address, ready) in addresses.Values)
                    (ready ? subset.Addresses : subset.NotReadyAddresses).Add(address);
                groups[setKey] = subset;
            }
            if (portKey != NoPort && port != null) subset.Ports.Add(port);
        }
        foreach (var s in groups.Values)
        {
            s.Addresses.Sort(CompareAddresses);
            s.NotReadyAddresses.Sort(CompareAddresses);
            s.Ports.Sort(ComparePorts);
        }
        return groups.Values
            .Select(s => (Subset: s, Key: s.ToJson().ToJsonString()))
            .OrderBy(x => x.Key, StringComparer.Ordinal)
            .Select(x => x.Subset)
            .ToList();
    }

    /// <summary>
    /// Cuts the subsets to <paramref name="capacity"/> addresses, keeping ready addresses first: when the ready ones
    /// alone exceed it, not-ready ones all go and ready ones are cut; otherwise only not-ready ones are cut. Each subset
    /// keeps a share proportional to its size (rounded up, the last ones get what is left). True when anything was cut.
    /// </summary>
    public static bool Truncate(List<EndpointSubset> subsets, int capacity = DiscoveryConventions.MaxEndpointsAddresses)
    {
        var ready = subsets.Sum(s => s.Addresses.Count);
        var notReady = subsets.Sum(s => s.NotReadyAddresses.Count);
        if (ready + notReady <= capacity) return false;

        var cutReady = ready > capacity;
        var budget = cutReady ? capacity : capacity - ready;
        var total = cutReady ? ready : notReady;
        var left = budget;
        foreach (var s in subsets)
        {
            var list = cutReady ? s.Addresses : s.NotReadyAddresses;
            var share = total == 0 ? 0 : (int)Math.Ceiling((double)list.Count / total * budget);
            var keep = Math.Min(Math.Min(share, left), list.Count);
            list.RemoveRange(keep, list.Count - keep);
            if (cutReady) s.NotReadyAddresses.Clear();
            left -= keep;
        }
        subsets.RemoveAll(s => s.Count == 0);
        return true;
    }

    private static string AddressKey(JsonObject address) => $"{address.Str("ip")}|{address["targetRef"].Str("uid")}";

    private static int CompareAddresses(JsonObject a, JsonObject b)
    {
        var byIp = string.CompareOrdinal(a.Str("ip"), b.Str("ip"));
        return byIp != 0 ? byIp : string.CompareOrdinal(a["targetRef"].Str("uid"), b["targetRef"].Str("uid"));
    }

    private static int ComparePorts(JsonObject a, JsonObject b)
    {
        var byName = string.CompareOrdinal(a.Str("name"), b.Str("name"));
        if (byName != 0) return byName;
        var byNumber = (a.Long("port") ?? 0).CompareTo(b.Long("port") ?? 0);
        return byNumber != 0 ? byNumber : string.CompareOrdinal(a.Str("protocol"), b.Str("protocol"));
    }

    public static string PortKey(JsonObject port) =>
        $"{port.Str("name")}|{port.Long("port")}|{port.Str("protocol")}|{port.Str("appProtocol")}";
}
