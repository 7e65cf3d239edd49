using System.Text.Json.Nodes;
using Orchestrator.Agent.Probes;

namespace Orchestrator.Tests.Agent.Probes;

/// <summary>Pods, containers and probe specs for the probe tests, as the Kubernetes JSON they come as.</summary>
public static class ProbeTargets
{
    public static JsonObject Pod(string uid = "uid-1") => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default", ["uid"] = uid },
    };

    public static JsonObject HttpProbe(int port, string path = "/", int period = 10, int? initialDelay = null,
        int? failureThreshold = null, int? successThreshold = null, int? timeout = null)
    {
        var probe = new JsonObject
        {
            ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = port },
            ["periodSeconds"] = period,
        };
        if (initialDelay is int d) probe["initialDelaySeconds"] = d;
        if (failureThreshold is int f) probe["failureThreshold"] = f;
        if (successThreshold is int s) probe["successThreshold"] = s;
        if (timeout is int t) probe["timeoutSeconds"] = t;
        return probe;
    }

    public static JsonObject Container(JsonObject? liveness = null, JsonObject? readiness = null, JsonObject? startup = null,
        JsonArray? ports = null, JsonObject? lifecycle = null)
    {
        var container = new JsonObject { ["name"] = "app", ["image"] = "busybox" };
        if (liveness is not null) container["livenessProbe"] = liveness;
        if (readiness is not null) container["readinessProbe"] = readiness;
        if (startup is not null) container["startupProbe"] = startup;
        if (ports is not null) container["ports"] = ports;
        if (lifecycle is not null) container["lifecycle"] = lifecycle;
        return container;
    }

    public static ContainerProbeTarget Target(JsonObject container, DateTimeOffset startedAt, string containerId = "c1",
        string? podIp = "127.0.0.1", string podUid = "uid-1") =>
        new(podUid, Pod(podUid), container, containerId, podIp, startedAt);

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
