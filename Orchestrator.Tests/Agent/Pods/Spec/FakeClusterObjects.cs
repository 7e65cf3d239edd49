using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods.Spec;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Agent.Pods.Spec;

/// <summary>An in-memory <see cref="IClusterObjects"/>: ConfigMaps, Secrets and Services added by the test.</summary>
public sealed class FakeClusterObjects : IClusterObjects
{
    private readonly Dictionary<string, JsonObject> _configMaps = new();
    private readonly Dictionary<string, JsonObject> _secrets = new();
    private readonly List<JsonObject> _services = [];

    public bool ServicesSynced { get; set; } = true;

    public int Reads { get; private set; }

    public FakeClusterObjects ConfigMap(string ns, string name, params (string Key, string Value)[] data)
    {
        var d = new JsonObject();
        foreach (var (k, v) in data) d[k] = v;
        _configMaps[$"{ns}/{name}"] = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns }, ["data"] = d };
        return this;
    }

    public FakeClusterObjects Secret(string ns, string name, params (string Key, string Value)[] data)
    {
        var d = new JsonObject();
        foreach (var (k, v) in data) d[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(v));
        _secrets[$"{ns}/{name}"] = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns }, ["data"] = d };
        return this;
    }

    public FakeClusterObjects Service(string ns, string name, string clusterIp, params (string? Name, int Port, string Protocol)[] ports)
    {
        var p = new JsonArray();
        foreach (var (portName, port, protocol) in ports)
        {
            var o = new JsonObject { ["port"] = port, ["protocol"] = protocol };
            if (portName != null) o["name"] = portName;
            p.Add(o);
        }
        _services.Add(new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject { ["clusterIP"] = clusterIp, ["ports"] = p },
        });
        return this;
    }

    public Task<JsonObject?> GetConfigMapAsync(string ns, string name, CancellationToken ct)
    {
        Reads++;
        return Task.FromResult(_configMaps.GetValueOrDefault($"{ns}/{name}"));
    }

    public Task<JsonObject?> GetSecretAsync(string ns, string name, CancellationToken ct)
    {
        Reads++;
        return Task.FromResult(_secrets.GetValueOrDefault($"{ns}/{name}"));
    }

    public IReadOnlyList<JsonObject> ServicesIn(string ns) => _services.Where(s => s.Namespace() == ns).ToList();
}
