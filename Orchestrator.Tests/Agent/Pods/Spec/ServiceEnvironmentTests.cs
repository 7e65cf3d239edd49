using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods.Spec;

namespace Orchestrator.Tests.Agent.Pods.Spec;

public sealed class ServiceEnvironmentTests
{
    private static Dictionary<string, string> Vars(FakeClusterObjects objects, string ns = "default", bool links = true)
    {
        var services = ServiceEnvironment.VisibleServices(ns, links, objects.ServicesIn(ns), objects.ServicesIn("default"));
        var result = new Dictionary<string, string>();
        foreach (var (k, v) in ServiceEnvironment.For(services))
        {
            Assert.False(result.ContainsKey(k), $"duplicate {k}");
            result[k] = v;
        }
        return result;
    }

    [Fact]
    public void Seed002_HostnameServiceClusterIp_GivesExactlyTheVariablesOfTheWalkthrough()
    {
        var objects = new FakeClusterObjects().Service("default", "hostname-service-clusterip", "172.17.17.106", ("web-port", 8080, "TCP"));

        var expected = new Dictionary<string, string>
        {
            ["HOSTNAME_SERVICE_CLUSTERIP_SERVICE_HOST"] = "172.17.17.106",
            ["HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP_ADDR"] = "172.17.17.106",
            ["HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP_PORT"] = "8080",
            ["HOSTNAME_SERVICE_CLUSTERIP_SERVICE_PORT_WEB_PORT"] = "8080",
            ["HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP_PROTO"] = "tcp",
            ["HOSTNAME_SERVICE_CLUSTERIP_SERVICE_PORT"] = "8080",
            ["HOSTNAME_SERVICE_CLUSTERIP_PORT"] = "tcp://172.17.17.106:8080",
            ["HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP"] = "tcp://172.17.17.106:8080",
        };
        Assert.Equal(expected.OrderBy(p => p.Key), Vars(objects).OrderBy(p => p.Key));
    }

    [Fact]
    public void Anchors53_RedisPrimary_TwoNamedPorts_FirstPortOnlyForServicePortAndPort()
    {
        var objects = new FakeClusterObjects()
            .Service("default", "redis-primary", "10.0.0.11", ("redis", 6379, "TCP"), ("sentinel", 26379, "TCP"));

        var vars = Vars(objects);

        Assert.Equal("10.0.0.11", vars["REDIS_PRIMARY_SERVICE_HOST"]);
        Assert.Equal("6379", vars["REDIS_PRIMARY_SERVICE_PORT"]);
        Assert.Equal("6379", vars["REDIS_PRIMARY_SERVICE_PORT_REDIS"]);
        Assert.Equal("26379", vars["REDIS_PRIMARY_SERVICE_PORT_SENTINEL"]);
        Assert.Equal("tcp://10.0.0.11:6379", vars["REDIS_PRIMARY_PORT"]);
        Assert.Equal("tcp://10.0.0.11:6379", vars["REDIS_PRIMARY_PORT_6379_TCP"]);
        Assert.Equal("tcp", vars["REDIS_PRIMARY_PORT_6379_TCP_PROTO"]);
        Assert.Equal("6379", vars["REDIS_PRIMARY_PORT_6379_TCP_PORT"]);
        Assert.Equal("10.0.0.11", vars["REDIS_PRIMARY_PORT_6379_TCP_ADDR"]);
        Assert.Equal("tcp://10.0.0.11:26379", vars["REDIS_PRIMARY_PORT_26379_TCP"]);
        Assert.Equal("tcp", vars["REDIS_PRIMARY_PORT_26379_TCP_PROTO"]);
        Assert.Equal("26379", vars["REDIS_PRIMARY_PORT_26379_TCP_PORT"]);
        Assert.Equal("10.0.0.11", vars["REDIS_PRIMARY_PORT_26379_TCP_ADDR"]);
        Assert.Equal(13, vars.Count);
    }

    [Fact]
    public void UnnamedUdpPort_HasNoPortNameVariable_AndLowerCaseProtocolInValues()
    {
        var objects = new FakeClusterObjects().Service("default", "dns", "10.96.0.20", (null, 53, "UDP"));

        var vars = Vars(objects);

        Assert.Equal("udp://10.96.0.20:53", vars["DNS_PORT"]);
        Assert.Equal("udp", vars["DNS_PORT_53_UDP_PROTO"]);
        Assert.DoesNotContain(vars.Keys, k => k.StartsWith("DNS_SERVICE_PORT_", StringComparison.Ordinal));
    }

    [Fact]
    public void HeadlessAndExternalNameServices_AreSkipped()
    {
        var objects = new FakeClusterObjects()
            .Service("default", "headless", "None", ("http", 80, "TCP"))
            .Service("default", "noip", "", ("http", 80, "TCP"));
        var external = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "ext", ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["type"] = "ExternalName", ["externalName"] = "example.org" },
        };

        Assert.Empty(Vars(objects));
        Assert.False(ServiceEnvironment.HasClusterIp(external));
    }

    [Fact]
    public void OtherNamespacesServices_AreInvisible_ButKubernetesFromDefaultIsAlwaysThere()
    {
        var objects = new FakeClusterObjects()
            .Service("default", "kubernetes", "10.96.0.1", ("https", 443, "TCP"))
            .Service("default", "elsewhere", "10.96.0.50", ("http", 80, "TCP"))
            .Service("team", "api", "10.96.0.60", ("http", 80, "TCP"));

        var withLinks = Vars(objects, "team");
        var withoutLinks = Vars(objects, "team", links: false);

        Assert.Equal("10.96.0.1", withLinks["KUBERNETES_SERVICE_HOST"]);
        Assert.Equal("443", withLinks["KUBERNETES_SERVICE_PORT_HTTPS"]);
        Assert.Equal("10.96.0.60", withLinks["API_SERVICE_HOST"]);
        Assert.DoesNotContain(withLinks.Keys, k => k.StartsWith("ELSEWHERE_", StringComparison.Ordinal));
        Assert.All(withoutLinks.Keys, k => Assert.StartsWith("KUBERNETES_", k));
        Assert.Equal("10.96.0.1", withoutLinks["KUBERNETES_SERVICE_HOST"]);
    }

    [Theory]
    [InlineData("auth-service", "AUTH_SERVICE")]
    [InlineData("a.b-c", "A_B_C")]
    [InlineData("9lives", "_9LIVES")]
    public void VariableName_UpperCasesAndReplacesDashesAndDots(string name, string expected) =>
        Assert.Equal(expected, ServiceEnvironment.VariableName(name));
}
