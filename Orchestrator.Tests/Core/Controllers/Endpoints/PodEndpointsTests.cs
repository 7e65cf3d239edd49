using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Endpoints;

namespace Orchestrator.Tests.Core.Controllers.Endpoints;

public sealed class PodEndpointsTests
{
    private static JsonObject Pod(string phase = "Running", string? ip = "10.244.0.1", bool terminating = false, string? sidecarPort = null)
    {
        var pod = JsonNode.Parse("""
            {"metadata":{"name":"p","namespace":"default"},
             "spec":{"containers":[{"name":"app","image":"x","ports":[
                {"name":"port-http","containerPort":8080},
                {"name":"dns","containerPort":5353,"protocol":"UDP"}]}]},
             "status":{}}
            """)!.AsObject();
        pod["status"]!["phase"] = phase;
        if (ip != null) pod["status"]!["podIP"] = ip;
        if (terminating) pod["metadata"]!["deletionTimestamp"] = "2026-11-22T00:00:00Z";
        if (sidecarPort != null)
            pod["spec"]!["initContainers"] = JsonNode.Parse($$"""[{"name":"side","image":"x","restartPolicy":"Always","ports":[{"name":"{{sidecarPort}}","containerPort":9100}]}]""");
        return pod;
    }

    [Theory]
    [InlineData("""{"port":80,"targetPort":"port-http"}""", 8080L)]
    [InlineData("""{"port":80,"targetPort":"port-http","protocol":"UDP"}""", null)] // protocol must match too
    [InlineData("""{"port":53,"targetPort":"dns","protocol":"UDP"}""", 5353L)]
    [InlineData("""{"port":80,"targetPort":9000}""", 9000L)]
    [InlineData("""{"port":80}""", 80L)]
    [InlineData("""{"port":80,"targetPort":"missing"}""", null)]
    [InlineData("""{"port":80,"targetPort":"metrics"}""", 9100L)] // a sidecar's port
    public void FindPort_NamedOrNumeric(string servicePort, long? expected) =>
        Assert.Equal(expected, PodEndpoints.FindPort(Pod(sidecarPort: "metrics"), JsonNode.Parse(servicePort)!.AsObject()));

    [Theory]
    [InlineData("Running", "10.244.0.1", false, false, true)]
    [InlineData("Pending", "10.244.0.1", false, false, true)]
    [InlineData("Running", null, false, false, false)]
    [InlineData("Succeeded", "10.244.0.1", false, true, false)]
    [InlineData("Failed", "10.244.0.1", false, true, false)]
    [InlineData("Running", "10.244.0.1", true, false, false)]
    [InlineData("Running", "10.244.0.1", true, true, true)]
    public void ShouldBeInEndpoints_AsUpstream(string phase, string? ip, bool terminating, bool includeTerminating, bool expected) =>
        Assert.Equal(expected, PodEndpoints.ShouldBeInEndpoints(Pod(phase, ip, terminating), includeTerminating));

    [Fact]
    public void IpFor_PicksFamily()
    {
        var pod = Pod();
        pod["status"]!["podIPs"] = JsonNode.Parse("""[{"ip":"10.244.0.1"},{"ip":"fd00::1"}]""");
        Assert.Equal("10.244.0.1", PodEndpoints.IpFor(pod, "IPv4"));
        Assert.Equal("fd00::1", PodEndpoints.IpFor(pod, "IPv6"));
    }
}
