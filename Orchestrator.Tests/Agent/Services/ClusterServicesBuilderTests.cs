using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Services;

public class ClusterServicesBuilderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-22T10:00:00Z");

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static ClusterServices Build(IEnumerable<JsonObject> services, IEnumerable<JsonObject>? slices = null,
        IEnumerable<JsonObject>? endpoints = null, IEnumerable<JsonObject>? nodes = null) =>
        ClusterServicesBuilder.Build(7, Now, "node-a", NetworkSettings.Default, services, slices ?? [], endpoints ?? [], nodes ?? [],
            [Json("""{"metadata":{"name":"default"}}""")]);

    private static JsonObject Service(string name, string spec, string status = "{}") => Json($$$"""
        {"metadata":{"name":"{{{name}}}","namespace":"default","creationTimestamp":"2026-11-22T09:00:00Z","annotations":{"a":"b"}},
         "spec":{{{spec}}},"status":{{{status}}}}
        """);

    [Fact]
    public void ClusterIpService_WithSliceEndpoints_ResolvesPortsByName()
    {
        var svc = Service("web", """
            {"type":"NodePort","clusterIP":"10.96.0.20","clusterIPs":["10.96.0.20"],"sessionAffinity":"ClientIP",
             "sessionAffinityConfig":{"clientIP":{"timeoutSeconds":60}},"externalTrafficPolicy":"Local",
             "ports":[{"name":"http","port":80,"targetPort":"web","nodePort":30080,"protocol":"TCP"},
                      {"name":"dns","port":53,"targetPort":5353,"protocol":"UDP"}]}
            """);
        var slice = Json("""
            {"metadata":{"name":"web-abc","namespace":"default","labels":{"kubernetes.io/service-name":"web"},
              "annotations":{"endpoints.kubernetes.io/last-change-trigger-time":"2026-11-22T09:59:59.5Z"}},
             "addressType":"IPv4",
             "ports":[{"name":"http","port":8080,"protocol":"TCP"},{"name":"dns","port":5353,"protocol":"UDP"}],
             "endpoints":[
               {"addresses":["10.244.0.5"],"conditions":{"ready":true},"nodeName":"node-a","targetRef":{"kind":"Pod","name":"web-1"}},
               {"addresses":["10.244.1.6"],"conditions":{"ready":false,"serving":true,"terminating":true},"nodeName":"node-b"}]}
            """);
        var snapshot = Build([svc], [slice]);

        var entry = snapshot.Find("default", "web")!;
        Assert.Equal(7, snapshot.Version);
        Assert.Equal("NodePort", entry.Type);
        Assert.Equal([IPAddress.Parse("10.96.0.20")], entry.ClusterIps);
        Assert.Equal(("ClientIP", 60, "Local"), (entry.SessionAffinity, entry.AffinityTimeoutSeconds, entry.ExternalTrafficPolicy));
        Assert.Equal(30080, entry.Ports[0].NodePort);
        Assert.Equal("UDP", entry.Ports[1].Protocol);
        Assert.Equal(DateTimeOffset.Parse("2026-11-22T09:59:59.5Z"), entry.TriggerTime);

        var http = entry.ReadyBackends(entry.Ports[0]).ToList();
        var only = Assert.Single(http);
        Assert.Equal((IPAddress.Parse("10.244.0.5"), 8080, "web-1", "node-a"), (only.Endpoint.Address, only.Port, only.Endpoint.PodName, only.Endpoint.NodeName));
        Assert.Equal(5353, Assert.Single(entry.ReadyBackends(entry.Ports[1])).Port);
        var terminating = entry.Endpoints.Single(e => !e.Ready);
        Assert.True(terminating.Serving && terminating.Terminating);
    }

    [Fact]
    public void SelectorlessService_UsesTheEndpointsObject_WhenItHasNoSlices()
    {
        var svc = Service("db", """{"clusterIP":"10.96.0.30","ports":[{"port":5432}]}""");
        var endpoints = Json("""
            {"metadata":{"name":"db","namespace":"default"},
             "subsets":[{"addresses":[{"ip":"192.168.1.10"}],"notReadyAddresses":[{"ip":"192.168.1.11"}],"ports":[{"port":5432}]}]}
            """);
        var entry = Build([svc], endpoints: [endpoints]).Find("default", "db")!;

        Assert.Equal("ClusterIP", entry.Type);
        Assert.Equal(IPAddress.Parse("192.168.1.10"), Assert.Single(entry.ReadyBackends(entry.Ports[0])).Endpoint.Address);
        Assert.Equal(2, entry.Endpoints.Count);
        // No trigger annotation: the service's creation time starts the measurement.
        Assert.Equal(DateTimeOffset.Parse("2026-11-22T09:00:00Z"), entry.TriggerTime);
    }

    [Fact]
    public void HeadlessAndExternalNameServices_HaveNoClusterIp()
    {
        var headless = Service("db-h", """{"clusterIP":"None","clusterIPs":["None"],"publishNotReadyAddresses":true,"ports":[{"name":"pg","port":5432}]}""");
        var external = Service("ext", """{"type":"ExternalName","externalName":"example.org."}""");
        var snapshot = Build([headless, external]);

        Assert.True(snapshot.Find("default", "db-h")!.Headless);
        Assert.Empty(snapshot.Find("default", "db-h")!.ClusterIps);
        Assert.True(snapshot.Find("default", "db-h")!.PublishNotReadyAddresses);
        Assert.Equal("example.org", snapshot.Find("default", "ext")!.ExternalName);
        Assert.Empty(snapshot.Find("default", "ext")!.ClusterIps);
    }

    [Fact]
    public void LoadBalancerFields_AndNodes_AreRead()
    {
        var lb = Service("lb", """
            {"type":"LoadBalancer","clusterIP":"10.96.0.40","externalIPs":["192.168.77.50"],"healthCheckNodePort":31000,
             "loadBalancerSourceRanges":["192.168.0.0/16"," 10.0.0.0/8"],"internalTrafficPolicy":"Local","ports":[{"port":80,"nodePort":30081}]}
            """, """{"loadBalancer":{"ingress":[{"ip":"192.168.77.2","ipMode":"VIP"}]}}""");
        var node = Json("""
            {"metadata":{"name":"node-b"},"spec":{"podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24"]},
             "status":{"addresses":[{"type":"Hostname","address":"b"},{"type":"InternalIP","address":"192.168.77.3"}],
                       "conditions":[{"type":"Ready","status":"True"}]}}
            """);
        var snapshot = Build([lb], nodes: [node]);
        var entry = snapshot.Find("default", "lb")!;

        Assert.Equal([IPAddress.Parse("192.168.77.50")], entry.ExternalIps);
        Assert.Equal([IPAddress.Parse("192.168.77.2")], entry.LoadBalancerIngress);
        Assert.Equal(31000, entry.HealthCheckNodePort);
        Assert.Equal(["192.168.0.0/16", "10.0.0.0/8"], entry.LoadBalancerSourceRanges.Select(c => c.ToString()));
        Assert.Equal("Local", entry.InternalTrafficPolicy);
        var nodeEntry = snapshot.Nodes["node-b"];
        Assert.Equal((IPAddress.Parse("192.168.77.3"), "10.244.1.0/24", true), (nodeEntry.InternalIp, nodeEntry.PodCidr?.ToString(), nodeEntry.Ready));
        Assert.Null(snapshot.ThisNode);
    }

    [Fact]
    public void AnAddressInTwoSlices_IsListedOnce()
    {
        var svc = Service("web", """{"clusterIP":"10.96.0.20","ports":[{"port":80}]}""");
        JsonObject Slice(string name) => Json($$$"""
            {"metadata":{"name":"{{{name}}}","namespace":"default","labels":{"kubernetes.io/service-name":"web"}},
             "addressType":"IPv4","ports":[{"port":80}],"endpoints":[{"addresses":["10.244.0.5"]}]}
            """);
        var entry = Build([svc], [Slice("web-1"), Slice("web-2")]).Find("default", "web")!;

        var e = Assert.Single(entry.Endpoints);
        Assert.True(e.Ready); // an absent condition means ready
    }

    [Fact]
    public void NetworkSettings_ComeFromTheConfigMapWithDefaults()
    {
        var s = NetworkSettings.From(new Dictionary<string, string> { ["serviceCIDR"] = "10.100.0.0/16", ["clusterDomain"] = "home.lan." });

        Assert.Equal("10.100.0.0/16", s.ServiceCidr.ToString());
        Assert.Equal(IPAddress.Parse("10.100.0.10"), s.ClusterDns);
        Assert.Equal("home.lan", s.ClusterDomain);
        Assert.Equal("10.244.0.0/16", s.ClusterCidr.ToString());
        Assert.Equal(IPAddress.Parse("10.96.0.10"), NetworkSettings.Default.ClusterDns);
    }
}
