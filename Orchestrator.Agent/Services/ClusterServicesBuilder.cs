using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Network;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Services;

/// <summary>
/// Turns the informers' objects into a <see cref="ClusterServices"/> snapshot (pure: the caller passes the objects,
/// the version and the time). A service's endpoints come from its EndpointSlices (label
/// <c>kubernetes.io/service-name</c>) when it has any, else from its Endpoints object — a selectorless service with a
/// hand-written Endpoints works either way. Slices of another address type than IPv4 are ignored.
/// </summary>
public static class ClusterServicesBuilder
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string TriggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time";

    public static ClusterServices Build(
        long version,
        DateTimeOffset now,
        string nodeName,
        NetworkSettings settings,
        IEnumerable<JsonObject> services,
        IEnumerable<JsonObject> endpointSlices,
        IEnumerable<JsonObject> endpoints,
        IEnumerable<JsonObject> nodes,
        IEnumerable<JsonObject> namespaces)
    {
        var slicesByService = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var slice in endpointSlices)
        {
            if (slice.Labels().GetValueOrDefault(ServiceNameLabel) is not { Length: > 0 } svc) continue;
            var key = $"{slice.Namespace()}/{svc}";
            if (!slicesByService.TryGetValue(key, out var list)) slicesByService[key] = list = [];
            list.Add(slice);
        }
        var endpointsByService = endpoints.ToDictionary(e => $"{e.Namespace()}/{e.Name()}", StringComparer.Ordinal);

        var result = new Dictionary<string, ServiceEntry>(StringComparer.Ordinal);
        foreach (var svc in services)
        {
            if (svc.Name() is not { } name || svc.Namespace() is not { } ns) continue;
            var key = $"{ns}/{name}";
            var entry = ServiceOf(svc, slicesByService.GetValueOrDefault(key), endpointsByService.GetValueOrDefault(key));
            result[key] = entry;
        }

        var nodeEntries = new Dictionary<string, NodeEntry>(StringComparer.Ordinal);
        foreach (var n in nodes)
            if (NodeOf(n) is { } e) nodeEntries[e.Name] = e;

        return new ClusterServices(version, now, nodeName, settings,
            result, nodeEntries, namespaces.Select(n => n.Name()).OfType<string>().ToHashSet(StringComparer.Ordinal));
    }

    private static ServiceEntry ServiceOf(JsonObject svc, List<JsonObject>? slices, JsonObject? endpointsObject)
    {
        var spec = svc["spec"] as JsonObject;
        var type = spec.Str("type") ?? "ClusterIP";
        var clusterIpText = spec.Str("clusterIP");
        var headless = clusterIpText == "None";
        var clusterIps = new List<IPAddress>();
        if (spec?["clusterIPs"] is JsonArray ipsArray)
        {
            foreach (var ip in ipsArray)
                if (IPAddress.TryParse(ip?.GetValue<string>(), out var a)) clusterIps.Add(a);
        }
        else if (IPAddress.TryParse(clusterIpText, out var single))
        {
            clusterIps.Add(single);
        }
        if (type == "ExternalName") clusterIps.Clear();

        var ports = new List<ServicePortEntry>();
        if (spec?["ports"] is JsonArray portArray)
        {
            foreach (var p in portArray.OfType<JsonObject>())
            {
                ports.Add(new ServicePortEntry(
                    p.Str("name") ?? "",
                    (p.Str("protocol") ?? "TCP").ToUpperInvariant(),
                    (int)(p.Long("port") ?? 0),
                    (int)(p.Long("nodePort") ?? 0),
                    p["targetPort"]?.ToString() ?? ""));
            }
        }

        var affinityTimeout = (int)(spec?["sessionAffinityConfig"]?["clientIP"].Long("timeoutSeconds") ?? 10800);
        var sourceRanges = new List<Ipv4Cidr>();
        if (spec?["loadBalancerSourceRanges"] is JsonArray ranges)
        {
            foreach (var r in ranges)
                if (Ipv4Cidr.TryParse(r?.GetValue<string>()?.Trim(), out var cidr)) sourceRanges.Add(cidr);
        }

        var (eps, trigger) = slices is { Count: > 0 } ? FromSlices(slices) : FromEndpoints(endpointsObject);
        trigger ??= ParseTime(svc["metadata"].Str("creationTimestamp"));

        return new ServiceEntry(
            svc.Namespace()!, svc.Name()!, type, clusterIps, headless,
            type == "ExternalName" ? spec.Str("externalName")?.TrimEnd('.') : null,
            ports,
            Addresses(spec?["externalIPs"]),
            IngressAddresses(svc["status"]?["loadBalancer"]?["ingress"]),
            spec.Str("sessionAffinity") ?? "None",
            affinityTimeout,
            spec.Str("externalTrafficPolicy") ?? "Cluster",
            spec.Str("internalTrafficPolicy") ?? "Cluster",
            (int)(spec.Long("healthCheckNodePort") ?? 0),
            sourceRanges,
            spec.Bool("publishNotReadyAddresses") == true,
            svc.Annotations(),
            eps,
            trigger);
    }

    private static (List<EndpointEntry>, DateTimeOffset?) FromSlices(List<JsonObject> slices)
    {
        var result = new List<EndpointEntry>();
        DateTimeOffset? trigger = null;
        var seen = new HashSet<IPAddress>();
        foreach (var slice in slices.OrderBy(s => s.Name(), StringComparer.Ordinal))
        {
            if ((slice.Str("addressType") ?? "IPv4") != "IPv4") continue;
            trigger = Latest(trigger, ParseTime(slice.Annotations().GetValueOrDefault(TriggerTimeAnnotation)));
            var ports = new List<EndpointPortEntry>();
            if (slice["ports"] is JsonArray portArray)
            {
                foreach (var p in portArray.OfType<JsonObject>())
                    if (p.Long("port") is { } port)
                        ports.Add(new EndpointPortEntry(p.Str("name") ?? "", (p.Str("protocol") ?? "TCP").ToUpperInvariant(), (int)port));
            }
            if (slice["endpoints"] is not JsonArray eps) continue;
            foreach (var e in eps.OfType<JsonObject>())
            {
                var conditions = e["conditions"];
                var ready = conditions.Bool("ready") ?? true;
                var serving = conditions.Bool("serving") ?? ready;
                var terminating = conditions.Bool("terminating") ?? false;
                var targetRef = e["targetRef"];
                var podName = targetRef.Str("kind") == "Pod" ? targetRef.Str("name") : null;
                if (e["addresses"] is not JsonArray addrs) continue;
                foreach (var a in addrs)
                {
                    // One address may appear in two slices while the controller moves it; the first one wins.
                    if (!IPAddress.TryParse(a?.GetValue<string>(), out var ip) || !seen.Add(ip)) continue;
                    result.Add(new EndpointEntry(ip, ready, serving, terminating, e.Str("hostname"), e.Str("nodeName"), podName, ports));
                }
            }
        }
        return (result, trigger);
    }

    private static (List<EndpointEntry>, DateTimeOffset?) FromEndpoints(JsonObject? endpoints)
    {
        var result = new List<EndpointEntry>();
        if (endpoints == null) return (result, null);
        var trigger = ParseTime(endpoints.Annotations().GetValueOrDefault(TriggerTimeAnnotation));
        if (endpoints["subsets"] is not JsonArray subsets) return (result, trigger);
        foreach (var subset in subsets.OfType<JsonObject>())
        {
            var ports = new List<EndpointPortEntry>();
            if (subset["ports"] is JsonArray portArray)
            {
                foreach (var p in portArray.OfType<JsonObject>())
                    if (p.Long("port") is { } port)
                        ports.Add(new EndpointPortEntry(p.Str("name") ?? "", (p.Str("protocol") ?? "TCP").ToUpperInvariant(), (int)port));
            }
            Add(subset["addresses"], true);
            Add(subset["notReadyAddresses"], false);

            void Add(JsonNode? list, bool ready)
            {
                if (list is not JsonArray array) return;
                foreach (var a in array.OfType<JsonObject>())
                {
                    if (!IPAddress.TryParse(a.Str("ip"), out var ip)) continue;
                    var targetRef = a["targetRef"];
                    var podName = targetRef.Str("kind") == "Pod" ? targetRef.Str("name") : null;
                    result.Add(new EndpointEntry(ip, ready, ready, false, a.Str("hostname"), a.Str("nodeName"), podName, ports));
                }
            }
        }
        return (result, trigger);
    }

    private static NodeEntry? NodeOf(JsonObject node)
    {
        if (node.Name() is not { } name) return null;
        IPAddress? internalIp = null, externalIp = null;
        if (node["status"]?["addresses"] is JsonArray addresses)
        {
            foreach (var a in addresses.OfType<JsonObject>())
            {
                if (!IPAddress.TryParse(a.Str("address"), out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) continue;
                if (a.Str("type") == "InternalIP") internalIp ??= ip;
                else if (a.Str("type") == "ExternalIP") externalIp ??= ip;
            }
        }
        Ipv4Cidr? podCidr = null;
        if (node["spec"]?["podCIDRs"] is JsonArray cidrs)
        {
            foreach (var c in cidrs)
                if (podCidr == null && Ipv4Cidr.TryParse(c?.GetValue<string>(), out var parsed)) podCidr = parsed;
        }
        if (podCidr == null && Ipv4Cidr.TryParse(node["spec"].Str("podCIDR"), out var single)) podCidr = single;
        var ready = node["status"]?["conditions"] is JsonArray conditions &&
                    conditions.OfType<JsonObject>().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True");
        return new NodeEntry(name, internalIp, externalIp, podCidr, ready);
    }

    private static List<IPAddress> Addresses(JsonNode? list)
    {
        var result = new List<IPAddress>();
        if (list is JsonArray array)
            foreach (var a in array)
                if (IPAddress.TryParse(a?.GetValue<string>(), out var ip)) result.Add(ip);
        return result;
    }

    private static List<IPAddress> IngressAddresses(JsonNode? ingress)
    {
        var result = new List<IPAddress>();
        if (ingress is JsonArray array)
            foreach (var i in array.OfType<JsonObject>())
                if (IPAddress.TryParse(i.Str("ip"), out var ip)) result.Add(ip);
        return result;
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) =>
        a == null ? b : b == null ? a : (a > b ? a : b);
}
