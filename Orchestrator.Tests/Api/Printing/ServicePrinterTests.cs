namespace Orchestrator.Tests.Api.Printing;

public class ServicePrinterTests
{
    private static string Row(string json) => Print.Row("", "Service", json);
    private static readonly string Created = Print.Minutes(45);

    [Fact]
    public void Columns_SelectorIsWide() =>
        Assert.Equal("Name:0|Type:0|Cluster-IP:0|External-IP:0|Port(s):0|Age:0|Selector:1", Print.Columns("", "Service"));

    [Fact]
    public void NodePort_PortsWithNodePorts()
    {
        var json = $$$$"""
            {"metadata":{"name":"web","creationTimestamp":"{{{{Created}}}}"},
             "spec":{"type":"NodePort","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"selector":{"app":"web","tier":"front"},
               "ports":[{"port":80,"targetPort":8080,"nodePort":30007,"protocol":"TCP"},{"port":443,"protocol":"TCP"}]}}
            """;
        Assert.Equal("web|NodePort|10.96.0.10|<none>|80:30007/TCP,443/TCP|45m|app=web,tier=front", Row(json));
    }

    [Fact]
    public void LoadBalancer_WithoutIngress_Pending()
    {
        var json = $$$$"""
            {"metadata":{"name":"lb","creationTimestamp":"{{{{Created}}}}"},
             "spec":{"type":"LoadBalancer","clusterIPs":["10.96.0.11"],"ports":[{"port":80,"nodePort":31000,"protocol":"TCP"}]}}
            """;
        Assert.Equal("lb|LoadBalancer|10.96.0.11|<pending>|80:31000/TCP|45m|<none>", Row(json));
    }

    [Fact]
    public void LoadBalancer_IngressSortedThenExternalIps()
    {
        var json = """
            {"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","clusterIP":"10.96.0.12","externalIPs":["1.2.3.4"],"ports":[{"port":80}]},
             "status":{"loadBalancer":{"ingress":[{"hostname":"lb.example.com"},{"ip":"203.0.113.7"},{"ip":"203.0.113.7"}]}}}
            """;
        Assert.Equal("lb|LoadBalancer|10.96.0.12|203.0.113.7,lb.example.com,1.2.3.4|80/TCP|<unknown>|<none>", Row(json));
    }

    [Fact]
    public void ClusterIP_ExternalIpsJoined_ProtocolDefaultsToTcp()
    {
        var json = """
            {"metadata":{"name":"k"},"spec":{"type":"ClusterIP","clusterIP":"10.96.0.1","externalIPs":["1.1.1.1","2.2.2.2"],
              "ports":[{"port":53,"protocol":"UDP"},{"port":53}]}}
            """;
        Assert.Equal("k|ClusterIP|10.96.0.1|1.1.1.1,2.2.2.2|53/UDP,53/TCP|<unknown>|<none>", Row(json));
    }

    [Fact]
    public void ExternalName_ShowsExternalName_NoPorts()
    {
        var json = """{"metadata":{"name":"ext"},"spec":{"type":"ExternalName","externalName":"db.example.com"}}""";
        Assert.Equal("ext|ExternalName|<none>|db.example.com|<none>|<unknown>|<none>", Row(json));
    }

    [Fact]
    public void Headless_ClusterIpNone()
    {
        var json = """{"metadata":{"name":"h"},"spec":{"clusterIP":"None","ports":[{"port":80}]}}""";
        Assert.StartsWith("h|ClusterIP|None|<none>|80/TCP|", Row(json));
    }
}
