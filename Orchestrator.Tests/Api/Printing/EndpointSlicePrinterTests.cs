namespace Orchestrator.Tests.Api.Printing;

public class EndpointSlicePrinterTests
{
    private static string Row(string json) => Print.Row("discovery.k8s.io", "EndpointSlice", json);

    [Fact]
    public void Columns() =>
        Assert.Equal("Name:0|AddressType:0|Ports:0|Endpoints:0|Age:0", Print.Columns("discovery.k8s.io", "EndpointSlice"));

    [Fact]
    public void PortsAndEndpoints_CappedAtThree()
    {
        var json = $$$$"""
            {"metadata":{"name":"web-abc12","creationTimestamp":"{{{{Print.Minutes(2)}}}}"},"addressType":"IPv4",
             "ports":[{"name":"http","port":80},{"name":"metrics"}],
             "endpoints":[{"addresses":["10.0.0.1"]},{"addresses":["10.0.0.2"]},{"addresses":["10.0.0.3"]},{"addresses":["10.0.0.4"]}]}
            """;
        Assert.Equal("web-abc12|IPv4|80,metrics|10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...|2m", Row(json));
    }

    [Fact]
    public void Empty_Unset() =>
        Assert.Equal("s|IPv4|<unset>|<unset>|<unknown>", Row("""{"metadata":{"name":"s"},"addressType":"IPv4"}"""));

    [Fact]
    public void PortWithoutNumberOrName_Star() =>
        Assert.StartsWith("s|IPv4|*|", Row("""{"metadata":{"name":"s"},"addressType":"IPv4","ports":[{}]}"""));
}
