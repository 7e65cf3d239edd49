using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Proxy;
using Orchestrator.Agent.Proxy.Balancing;
using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Proxy.Balancing;

/// <summary>Backend tables built the way the proxy builds them: from a snapshot of one service.</summary>
internal static class BalancerTestData
{
    public static (ServiceEntry Service, ServicePortEntry Port) Service(int endpoints, Action<JsonObject>? edit = null, Func<int, string>? node = null)
    {
        var svc = ServiceSnapshots.ServiceJson("svc", IPAddress.Parse("10.96.0.20"), 80);
        edit?.Invoke(svc);
        var snapshots = new ServiceSnapshots();
        snapshots.Add(svc, Enumerable.Range(1, endpoints)
            .Select(i => new ServiceSnapshots.Endpoint(new IPEndPoint(IPAddress.Parse($"10.244.0.{i}"), 8080), node?.Invoke(i) ?? ServiceSnapshots.Node))
            .ToArray());
        var entry = snapshots.Build().Services["default/svc"];
        return (entry, entry.Ports[0]);
    }

    public static BackendTable Table(int endpoints, Action<JsonObject>? edit = null, Func<int, string>? node = null)
    {
        var (svc, port) = Service(endpoints, edit, node);
        return BackendTable.Build(svc, port, ServiceSnapshots.Node, null, new Random(1));
    }

    public static ServicePortBalancer Balancer(BackendTable table, TimeProvider time, ServiceProxyOptions? options = null)
    {
        var b = new ServicePortBalancer("default/svc:web:TCP", time, options ?? new ServiceProxyOptions());
        b.Update(table);
        return b;
    }

    public static Backend? Pick(this ServicePortBalancer b, IPAddress client, bool localOnly = false)
    {
        var tried = new TriedBackends();
        return b.Pick(b.Table, localOnly, client, ref tried);
    }

    public static IPAddress Client(int i) => IPAddress.Parse($"192.168.{i / 250}.{i % 250 + 1}");
}
