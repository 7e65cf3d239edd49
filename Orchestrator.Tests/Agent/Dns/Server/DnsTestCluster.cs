using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Dns.Server;

/// <summary>
/// Snapshots for the DNS tests, built the way the agent builds them (<see cref="ClusterServicesBuilder.Build"/>) from
/// Service, EndpointSlice and Namespace objects. <see cref="Standard"/> holds one of every kind the DNS spec names.
/// </summary>
internal static class DnsTestCluster
{
    public const int BigEndpointCount = 100;

    public static ClusterServices Standard(long version = 1)
    {
        var services = new List<JsonObject>
        {
            Service("default", "web", "10.96.1.2", ports: [("http", 80, "TCP"), ("dns", 53, "UDP")]),
            Service("default", "plain", "10.96.1.3", ports: [("", 8080, "TCP")]),
            Service("default", "dual", "10.96.1.4", ports: [("http", 80, "TCP")], extraIps: ["fd00::4"]),
            Service("default", "db", "None", ports: [("pg", 5432, "TCP")]),
            Service("default", "empty", "None", ports: [("http", 80, "TCP")]),
            Service("default", "pub", "None", ports: [("http", 80, "TCP")], publishNotReady: true),
            Service("default", "big", "None", ports: [("http", 80, "TCP")]),
            ExternalName("default", "ext", "Example.COM."),
            ExternalName("default", "alias", "web.default.svc.cluster.local"),
            ExternalName("default", "dangling", "nothing.default.svc.cluster.local"),
            Service("kube-system", "kube-dns", "10.96.0.10", ports: [("dns", 53, "UDP"), ("dns-tcp", 53, "TCP")]),
            Service("other", "web", "10.96.2.2", ports: [("http", 80, "TCP")]),
        };
        var slices = new List<JsonObject>
        {
            Slice("default", "web", [("http", 8080, "TCP"), ("dns", 5353, "UDP")], [Endpoint("10.244.1.10", pod: "web-abc")]),
            Slice("default", "db", [("pg", 5432, "TCP")],
            [
                Endpoint("10.244.1.5", hostname: "db-0"),
                Endpoint("10.244.1.6", hostname: "db-1"),
                Endpoint("10.244.2.7"),
                Endpoint("10.244.2.8", ready: false),
            ]),
            Slice("default", "pub", [("http", 80, "TCP")], [Endpoint("10.244.3.9", ready: false)]),
            Slice("default", "big", [("http", 8080, "TCP")],
                Enumerable.Range(0, BigEndpointCount).Select(i => Endpoint($"10.244.{10 + i / 200}.{i % 200 + 1}")).ToArray()),
        };
        return ClusterServicesBuilder.Build(version, DateTimeOffset.Parse("2026-11-22T08:00:00Z"), "node-1", NetworkSettings.Default,
            services, slices, [], [], new[] { "default", "kube-system", "other", "quiet" }.Select(Namespace));
    }

    public static JsonObject Service(string ns, string name, string clusterIp, (string Name, int Port, string Protocol)[] ports,
        string[]? extraIps = null, bool publishNotReady = false)
    {
        var spec = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["clusterIP"] = clusterIp,
            ["ports"] = new JsonArray(ports.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["port"] = p.Port, ["protocol"] = p.Protocol }).ToArray()),
            ["publishNotReadyAddresses"] = publishNotReady,
        };
        if (extraIps != null) spec["clusterIPs"] = new JsonArray([clusterIp, .. extraIps.Select(i => (JsonNode)i)]);
        return new JsonObject { ["metadata"] = new JsonObject { ["namespace"] = ns, ["name"] = name }, ["spec"] = spec };
    }

    public static JsonObject ExternalName(string ns, string name, string target) => new()
    {
        ["metadata"] = new JsonObject { ["namespace"] = ns, ["name"] = name },
        ["spec"] = new JsonObject { ["type"] = "ExternalName", ["externalName"] = target },
    };

    public static JsonObject Slice(string ns, string service, (string Name, int Port, string Protocol)[] ports, JsonObject[] endpoints) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["namespace"] = ns,
            ["name"] = $"{service}-abcde",
            ["labels"] = new JsonObject { [ClusterServicesBuilder.ServiceNameLabel] = service },
        },
        ["addressType"] = "IPv4",
        ["ports"] = new JsonArray(ports.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["port"] = p.Port, ["protocol"] = p.Protocol }).ToArray()),
        ["endpoints"] = new JsonArray(endpoints.Select(e => (JsonNode)e).ToArray()),
    };

    public static JsonObject Endpoint(string ip, string? hostname = null, bool ready = true, string? pod = null)
    {
        var e = new JsonObject
        {
            ["addresses"] = new JsonArray(ip),
            ["conditions"] = new JsonObject { ["ready"] = ready },
        };
        if (hostname != null) e["hostname"] = hostname;
        if (pod != null) e["targetRef"] = new JsonObject { ["kind"] = "Pod", ["name"] = pod };
        return e;
    }

    private static JsonObject Namespace(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name } };

    public static IPAddress Ip(string text) => IPAddress.Parse(text);
}
