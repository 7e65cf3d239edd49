using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.Endpoints;

/// <summary>Services, pods and nodes for the endpoint controller tests, written through the real API path.</summary>
internal static class EndpointTestObjects
{
    public const string Ns = "default";

    public static JsonObject Service(string name, Dictionary<string, string>? selector, params JsonObject[] ports)
    {
        var spec = new JsonObject
        {
            ["ports"] = new JsonArray(ports.Select(p => (JsonNode)p).ToArray()),
        };
        if (selector != null) spec["selector"] = JsonObjectOf(selector);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
            ["spec"] = spec,
        };
    }

    public static JsonObject Port(string name, int port, JsonNode targetPort, string protocol = "TCP") => new()
    {
        ["name"] = name,
        ["port"] = port,
        ["targetPort"] = targetPort,
        ["protocol"] = protocol,
    };

    public static JsonObject JsonObjectOf(Dictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map) o[k] = v;
        return o;
    }

    public static Task<JsonObject> CreateServiceAsync(TestCluster c, JsonObject svc) => c.Client.CreateAsync(Kinds.Service, Ns, svc);

    /// <summary>A pod with one container exposing <paramref name="containerPorts"/> (name → number), bound to node-1.</summary>
    public static async Task<JsonObject> CreatePodAsync(TestCluster c, string name, Dictionary<string, string> labels,
        Dictionary<string, int>? containerPorts = null, string? ip = null, bool ready = true, string phase = "Running",
        string node = "node-1", string? hostname = null, string? subdomain = null)
    {
        var ports = new JsonArray();
        foreach (var (portName, number) in containerPorts ?? new() { ["port-http"] = 8080 })
            ports.Add(new JsonObject { ["name"] = portName, ["containerPort"] = number, ["protocol"] = "TCP" });
        var spec = new JsonObject
        {
            ["nodeName"] = node,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "busybox", ["ports"] = ports }),
        };
        if (hostname != null) spec["hostname"] = hostname;
        if (subdomain != null) spec["subdomain"] = subdomain;
        var pod = await c.Client.CreateAsync(Kinds.Pod, Ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["labels"] = JsonObjectOf(labels) },
            ["spec"] = spec,
        });
        return ip == null ? pod : await SetStatusAsync(c, name, ip, ready, phase);
    }

    public static async Task<JsonObject> SetStatusAsync(TestCluster c, string name, string ip, bool ready, string phase = "Running")
    {
        var pod = (await c.Client.GetAsync(Kinds.Pod, Ns, name))!;
        pod["status"] = new JsonObject
        {
            ["phase"] = phase,
            ["podIP"] = ip,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip }),
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready",
                ["status"] = ready ? "True" : "False",
                ["lastTransitionTime"] = c.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            }),
        };
        return await c.Client.UpdateStatusAsync(Kinds.Pod, pod);
    }

    public static async Task<JsonObject> CreateNodeAsync(TestCluster c, string name, string? internalIp = "192.168.77.10",
        bool ready = true, bool unschedulable = false, Dictionary<string, string>? labels = null, string? externalIp = null)
    {
        var node = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = JsonObjectOf(labels ?? []) },
            ["spec"] = new JsonObject { ["unschedulable"] = unschedulable },
        };
        var created = await c.Client.CreateAsync(Kinds.Node, null, node);
        return await SetNodeStatusAsync(c, created, internalIp, ready, externalIp);
    }

    public static async Task<JsonObject> SetNodeStatusAsync(TestCluster c, JsonObject node, string? internalIp, bool ready, string? externalIp = null)
    {
        var addresses = new JsonArray();
        if (internalIp != null) addresses.Add(new JsonObject { ["type"] = "InternalIP", ["address"] = internalIp });
        if (externalIp != null) addresses.Add(new JsonObject { ["type"] = "ExternalIP", ["address"] = externalIp });
        addresses.Add(new JsonObject { ["type"] = "Hostname", ["address"] = node.Name() });
        var current = (await c.Client.GetAsync(Kinds.Node, null, node.Name()!))!;
        current["status"] = new JsonObject
        {
            ["addresses"] = addresses,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
        };
        return await c.Client.UpdateStatusAsync(Kinds.Node, current);
    }

    public static Task<JsonObject?> EndpointsAsync(TestCluster c, string name) => c.Client.GetAsync(Kinds.Endpoints, Ns, name);

    public static async Task<IReadOnlyList<JsonObject>> SlicesAsync(TestCluster c, string service, string managedBy = "endpointslice-controller.k8s.io") =>
        (await c.Client.ListAsync(Kinds.EndpointSlice, Ns, $"kubernetes.io/service-name={service},endpointslice.kubernetes.io/managed-by={managedBy}")).Items;

    public static IEnumerable<string> Ips(JsonNode? subsets, string list) =>
        (subsets as JsonArray)?.OfType<JsonObject>().SelectMany(s => (s[list] as JsonArray)?.OfType<JsonObject>() ?? []).Select(a => a.Str("ip")!) ?? [];

    /// <summary>Polls while moving the fake clock, so back-off retries of the controllers fire.</summary>
    public static Task EventuallyAsync(TestCluster c, Func<Task<bool>> condition, string because, int timeoutMs = 10_000) =>
        TestCluster.EventuallyAsync(async () =>
        {
            c.Time.Advance(TimeSpan.FromMilliseconds(200));
            try
            {
                return await condition();
            }
            catch (ApiException)
            {
                return false;
            }
        }, because, timeoutMs);
}
