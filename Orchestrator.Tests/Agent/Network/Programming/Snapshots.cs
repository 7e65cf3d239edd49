using System.Text.Json.Nodes;
using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Network.Programming;

/// <summary>Snapshots for the network programming tests, built from API objects by the real <see cref="ClusterServicesBuilder"/>.</summary>
internal static class Snapshots
{
    public static JsonObject Service(string ns, string name, string? clusterIp, string type = "ClusterIP", string? externalName = null)
    {
        var spec = new JsonObject { ["type"] = type, ["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["protocol"] = "TCP" }) };
        if (clusterIp is not null)
        {
            spec["clusterIP"] = clusterIp;
            if (clusterIp != "None") spec["clusterIPs"] = new JsonArray(clusterIp);
        }
        if (externalName is not null) spec["externalName"] = externalName;
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["namespace"] = ns, ["name"] = name },
            ["spec"] = spec,
        };
    }

    public static JsonObject Node(string name, string? internalIp, string? podCidr)
    {
        var node = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = name } };
        if (podCidr is not null) node["spec"] = new JsonObject { ["podCIDR"] = podCidr, ["podCIDRs"] = new JsonArray(podCidr) };
        var status = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) };
        if (internalIp is not null) status["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = internalIp });
        node["status"] = status;
        return node;
    }

    public static ClusterServices Build(long version, string nodeName, IEnumerable<JsonObject> services, IEnumerable<JsonObject> nodes,
        IReadOnlyDictionary<string, string>? settings = null) =>
        ClusterServicesBuilder.Build(version, DateTimeOffset.UtcNow, nodeName,
            NetworkSettings.From(settings ?? new Dictionary<string, string>()),
            services, [], [], nodes, []);
}
