using System.Net;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>The Service examples of the seed documents, through the real kubectl against a real server process.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ServiceEndToEndTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private Kubectl K => cluster.Kubectl;

    private async Task<Kubectl.Result> ApplyAsync(string yaml) => await K.RunAsync("apply", "-f", ClusterFixture.Manifest(yaml));

    private static string Svc(string name, string spec) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
        spec:
        {spec}
        """;

    [Fact]
    public async Task ClusterIpService_Default_GetsAddressFromServiceCidr()
    {
        (await ApplyAsync(Svc("plain", "  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: 8080"))).Ok();
        var ip = (await K.RunAsync("get", "svc", "plain", "-o", "jsonpath={.spec.clusterIP} {.spec.type} {.spec.ports[0].protocol} {.spec.sessionAffinity}")).Ok().StdOut;
        var parts = ip.Split(' ');
        Assert.True(IPNetwork.Parse("10.96.0.0/12").Contains(IPAddress.Parse(parts[0])), ip);
        Assert.Equal(["ClusterIP", "TCP", "None"], parts[1..]);
    }

    [Fact]
    public async Task ClusterIpService_FixedAddress_IsKept()
    {
        (await ApplyAsync(Svc("fixed", "  clusterIP: 10.96.100.100\n  selector: {app: web}\n  ports:\n  - port: 80"))).Ok();
        var r = (await K.RunAsync("get", "svc", "fixed", "-o", "jsonpath={.spec.clusterIP} {.spec.ports[0].targetPort}")).Ok();
        Assert.Equal("10.96.100.100 80", r.StdOut);
    }

    [Fact]
    public async Task ClusterIpService_OutOfRange_IsInvalid()
    {
        var r = await ApplyAsync(Svc("outside", "  clusterIP: 10.0.0.5\n  ports:\n  - port: 80"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("is invalid", r.Output);
        Assert.Contains("10.0.0.5", r.Output);
        Assert.Contains("spec.clusterIPs", r.Output);
    }

    [Fact]
    public async Task SessionAffinityClientIp_DefaultsTimeoutTo10800()
    {
        (await ApplyAsync(Svc("sticky", "  sessionAffinity: ClientIP\n  selector: {app: web}\n  ports:\n  - port: 80"))).Ok();
        var r = (await K.RunAsync("get", "svc", "sticky", "-o", "jsonpath={.spec.sessionAffinityConfig.clientIP.timeoutSeconds}")).Ok();
        Assert.Equal("10800", r.StdOut);
    }

    [Fact]
    public async Task MultiPort_WithNames_IsAccepted_WithoutNames_IsInvalid()
    {
        (await ApplyAsync(Svc("multi", "  selector: {app: web}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n  - name: https\n    port: 443\n    targetPort: 8443"))).Ok();
        var ports = (await K.RunAsync("get", "svc", "multi")).Ok().StdOut;
        Assert.Contains("80/TCP,443/TCP", ports);

        var bad = await ApplyAsync(Svc("multi-unnamed", "  ports:\n  - port: 80\n  - port: 443"));
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("spec.ports[0].name: Required value", bad.Output);
    }

    [Fact]
    public async Task BadPortName_IsInvalid()
    {
        var r = await ApplyAsync(Svc("badname", "  ports:\n  - name: 123_abc\n    port: 80\n  - name: ok\n    port: 81"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("spec.ports[0].name: Invalid value: \"123_abc\"", r.Output);
    }

    [Fact]
    public async Task NamedTargetPort_IsAccepted()
    {
        (await ApplyAsync(Svc("named-target", "  selector: {app: web}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http-web"))).Ok();
        var r = (await K.RunAsync("get", "svc", "named-target", "-o", "jsonpath={.spec.ports[0].targetPort}")).Ok();
        Assert.Equal("http-web", r.StdOut);
    }

    [Fact]
    public async Task NodePort_Fixed30007_ThenDuplicate_IsRejected()
    {
        (await ApplyAsync(Svc("np-fixed", "  type: NodePort\n  selector: {app: web}\n  ports:\n  - port: 80\n    nodePort: 30007"))).Ok();
        var r = (await K.RunAsync("get", "svc", "np-fixed")).Ok();
        Assert.Contains("80:30007/TCP", r.StdOut);
        var dup = await ApplyAsync(Svc("np-dup", "  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30007"));
        Assert.NotEqual(0, dup.ExitCode);
        Assert.Contains("provided port is already allocated", dup.Output);
        var outside = await ApplyAsync(Svc("np-outside", "  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 8080"));
        Assert.NotEqual(0, outside.ExitCode);
        Assert.Contains("spec.ports[0].nodePort", outside.Output);
    }

    [Fact]
    public async Task NodePort_Automatic_IsInRange()
    {
        (await K.RunAsync("create", "service", "nodeport", "np-auto", "--tcp=5678:8080")).Ok();
        var port = int.Parse((await K.RunAsync("get", "svc", "np-auto", "-o", "jsonpath={.spec.ports[0].nodePort}")).Ok().StdOut);
        Assert.InRange(port, 30000, 32767);
    }

    [Fact]
    public async Task LoadBalancer_GetsNodePortAndPendingExternalIp()
    {
        (await ApplyAsync(Svc("lb", "  type: LoadBalancer\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: 8080"))).Ok();
        var r = (await K.RunAsync("get", "svc", "lb")).Ok().StdOut;
        Assert.Matches(@"lb\s+LoadBalancer\s+10\.\d+\.\d+\.\d+\s+<pending>\s+80:3\d{4}/TCP", r);
    }

    [Fact]
    public async Task ExternalName_HasNoClusterIp()
    {
        (await ApplyAsync(Svc("ext", "  type: ExternalName\n  externalName: my.database.example.com"))).Ok();
        var r = (await K.RunAsync("get", "svc", "ext")).Ok().StdOut;
        Assert.Matches(@"ext\s+ExternalName\s+<none>\s+my\.database\.example\.com", r);
    }

    [Fact]
    public async Task Headless_HasClusterIpNone()
    {
        (await ApplyAsync(Svc("headless", "  clusterIP: None\n  selector: {app: web}\n  ports:\n  - port: 80"))).Ok();
        var r = (await K.RunAsync("get", "svc", "headless", "-o", "jsonpath={.spec.clusterIP}")).Ok();
        Assert.Equal("None", r.StdOut);
    }

    [Fact]
    public async Task SelectorlessService_WithHandWrittenEndpoints()
    {
        (await ApplyAsync(Svc("external-db", "  ports:\n  - protocol: TCP\n    port: 80\n    targetPort: 9376") + """

            ---
            apiVersion: v1
            kind: Endpoints
            metadata:
              name: external-db
            subsets:
            - addresses:
              - ip: 192.0.2.42
              ports:
              - port: 9376
            """)).Ok();
        var r = (await K.RunAsync("get", "ep", "external-db")).Ok().StdOut;
        Assert.Contains("192.0.2.42:9376", r);
    }

    [Fact]
    public async Task DeletedService_ReleasesItsNodePort()
    {
        (await ApplyAsync(Svc("np-release", "  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30123"))).Ok();
        (await K.RunAsync("delete", "svc", "np-release")).Ok();
        (await ApplyAsync(Svc("np-reuse", "  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30123"))).Ok();
    }

    [Fact]
    public async Task ClusterIp_IsImmutable()
    {
        (await ApplyAsync(Svc("immutable", "  clusterIP: 10.96.200.1\n  ports:\n  - port: 80"))).Ok();
        var r = await K.RunAsync("patch", "svc", "immutable", "-p", "{\"spec\":{\"clusterIP\":\"10.96.200.2\"}}");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("may not change once set", r.Output);
    }
}
