using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Proxy;
using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Proxy;

public sealed class ListenerPlannerTests
{
    private static readonly IPAddress NodeIp = IPAddress.Parse("192.168.1.10");
    private static readonly IPAddress OtherLocal = IPAddress.Parse("192.168.1.11");
    private static readonly NodeAddressSet Addresses = new(new HashSet<IPAddress> { NodeIp, OtherLocal, IPAddress.Loopback }, [IPAddress.Loopback, NodeIp]);

    private static ListenerPlan Plan(params JsonObject[] services)
    {
        var snapshots = new ServiceSnapshots();
        foreach (var s in services) snapshots.Add(s);
        return ListenerPlanner.Plan(snapshots.Build(), Addresses);
    }

    private static JsonObject Svc(string name, string ip, int port, string type = "ClusterIP", int nodePort = 0) =>
        ServiceSnapshots.ServiceJson(name, IPAddress.Parse(ip), port, type, nodePort);

    [Fact]
    public void ClusterIp_OneListenerPerPort()
    {
        var plan = Plan(Svc("a", "10.96.0.20", 80));
        var l = Assert.Single(plan.Listeners.Values);
        Assert.Equal(new ListenerKey(IPAddress.Parse("10.96.0.20"), 80, "TCP"), l.Key);
        Assert.Equal(ListenerKind.ClusterIp, l.Kind);
        Assert.Equal("default/a", l.ServiceKey);
    }

    [Fact]
    public void NodePort_OnEveryNodePortAddress()
    {
        var plan = Plan(Svc("a", "10.96.0.20", 80, "NodePort", 30080));
        Assert.Equal(
            ["10.96.0.20:80/TCP", "127.0.0.1:30080/TCP", "192.168.1.10:30080/TCP"],
            plan.Listeners.Keys.Select(k => k.ToString()).Order());
    }

    [Fact]
    public void LoadBalancerIngressAndExternalIps_OnlyWhenLocal()
    {
        var svc = Svc("lb", "10.96.0.21", 443, "LoadBalancer", 30443);
        svc["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(
            new JsonObject { ["ip"] = "192.168.1.11" }, new JsonObject { ["ip"] = "192.168.1.99" }) } };
        svc["spec"]!["externalIPs"] = new JsonArray("192.168.1.10", "203.0.113.5");
        var plan = Plan(svc);

        Assert.Equal(ListenerKind.LoadBalancerIngress, plan.Listeners[new ListenerKey(OtherLocal, 443, "TCP")].Kind);
        Assert.Equal(ListenerKind.ExternalIp, plan.Listeners[new ListenerKey(NodeIp, 443, "TCP")].Kind);
        Assert.DoesNotContain(plan.Listeners.Keys, k => k.Address.ToString() is "192.168.1.99" or "203.0.113.5");
    }

    [Fact]
    public void ClusterDnsIp_HeadlessAndExternalName_GetNoListener()
    {
        var dns = Svc("kube-dns", NetworkSettings.Default.ClusterDns.ToString(), 53);
        var headless = Svc("headless", "10.96.0.50", 80);
        headless["spec"]!["clusterIP"] = "None";
        var external = Svc("ext", "10.96.0.30", 80);
        external["spec"]!["type"] = "ExternalName";
        external["spec"]!["externalName"] = "example.org";
        Assert.Empty(Plan(dns, headless, external).Listeners);
    }

    [Fact]
    public void UdpPorts_ArePlannedWithTheirProtocol()
    {
        var svc = Svc("dns-like", "10.96.0.40", 53);
        ((JsonObject)svc["spec"]!["ports"]![0]!)["protocol"] = "UDP";
        Assert.Equal("UDP", Assert.Single(Plan(svc).Listeners.Keys).Protocol);
    }

    [Fact]
    public void TwoServicesOnOneExternalIpPort_FirstWins_SecondIsACollision()
    {
        var a = Svc("a", "10.96.0.20", 80);
        a["spec"]!["externalIPs"] = new JsonArray("192.168.1.10");
        var b = Svc("b", "10.96.0.21", 80);
        b["spec"]!["externalIPs"] = new JsonArray("192.168.1.10");
        var plan = Plan(a, b);
        Assert.Equal("default/a", plan.Listeners[new ListenerKey(NodeIp, 80, "TCP")].ServiceKey);
        Assert.Equal("default/b", Assert.Single(plan.Collisions).ServiceKey);
    }

    [Fact]
    public void NodeAddressSource_LeavesOutServiceCidr_AndHonoursNodePortAddresses()
    {
        var options = new ServiceProxyOptions
        {
            NodeAddresses = ["127.0.0.1", "10.96.0.20", "192.168.1.10", "172.17.0.1"],
            NodePortAddresses = ["192.168.0.0/16", "127.0.0.0/8"],
        };
        var set = new NodeAddressSource(options).Read(NetworkSettings.Default);
        Assert.Equal(["127.0.0.1", "192.168.1.10"], set.NodePort.Select(a => a.ToString()));
        Assert.Contains(IPAddress.Parse("10.96.0.20"), set.Local);
    }

    [Fact]
    public void NodeAddressSource_HostAddresses_IncludeLoopback()
    {
        var set = new NodeAddressSource(new ServiceProxyOptions()).Read(NetworkSettings.Default);
        Assert.Contains(IPAddress.Loopback, set.NodePort);
    }
}
