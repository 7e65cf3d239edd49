using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Proxy;

/// <summary>
/// Builds <see cref="ClusterServices"/> snapshots through <see cref="ClusterServicesBuilder.Build"/> from Service and
/// EndpointSlice objects. Cluster IPs are 127.x addresses (tests cannot add VIPs); every endpoint gets its own slice
/// because test backends listen on random ports.
/// </summary>
internal sealed class ServiceSnapshots
{
    public const string Node = "node-a";
    private readonly List<JsonObject> _services = [];
    private readonly List<JsonObject> _slices = [];
    private long _version;

    public static JsonObject ServiceJson(string name, IPAddress clusterIp, int port, string type = "ClusterIP", int nodePort = 0)
    {
        var portJson = new JsonObject { ["name"] = "web", ["protocol"] = "TCP", ["port"] = port };
        if (nodePort != 0) portJson["nodePort"] = nodePort;
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["annotations"] = new JsonObject() },
            ["spec"] = new JsonObject
            {
                ["type"] = type,
                ["clusterIP"] = clusterIp.ToString(),
                ["ports"] = new JsonArray(portJson),
            },
        };
    }

    public ServiceSnapshots Add(JsonObject service, params Endpoint[] endpoints)
    {
        _services.RemoveAll(s => s["metadata"]!["name"]!.ToString() == service["metadata"]!["name"]!.ToString());
        var name = service["metadata"]!["name"]!.ToString();
        _slices.RemoveAll(s => s["metadata"]!["labels"]![ClusterServicesBuilder.ServiceNameLabel]!.ToString() == name);
        _services.Add(service);
        var i = 0;
        foreach (var e in endpoints)
        {
            _slices.Add(new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{name}-{i++}",
                    ["namespace"] = "default",
                    ["labels"] = new JsonObject { [ClusterServicesBuilder.ServiceNameLabel] = name },
                },
                ["addressType"] = "IPv4",
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "web", ["protocol"] = "TCP", ["port"] = e.EndPoint.Port }),
                ["endpoints"] = new JsonArray(new JsonObject
                {
                    ["addresses"] = new JsonArray(e.EndPoint.Address.ToString()),
                    ["conditions"] = new JsonObject { ["ready"] = e.Ready },
                    ["nodeName"] = e.Node,
                }),
            });
        }
        return this;
    }

    public ServiceSnapshots Remove(string name)
    {
        _services.RemoveAll(s => s["metadata"]!["name"]!.ToString() == name);
        _slices.RemoveAll(s => s["metadata"]!["labels"]![ClusterServicesBuilder.ServiceNameLabel]!.ToString() == name);
        return this;
    }

    public ClusterServices Build() => ClusterServicesBuilder.Build(++_version, DateTimeOffset.UtcNow, Node, NetworkSettings.Default,
        _services.Select(s => (JsonObject)s.DeepClone()), _slices.Select(s => (JsonObject)s.DeepClone()), [], [],
        [new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }]);

    public sealed record Endpoint(IPEndPoint EndPoint, string Node = ServiceSnapshots.Node, bool Ready = true);
}
