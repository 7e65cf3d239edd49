namespace Orchestrator.Tests.Api.Printing;

public class EndpointsPrinterTests
{
    private static string Row(string json) => Print.Row("", "Endpoints", json);

    [Fact]
    public void Columns() => Assert.Equal("Name:0|Endpoints:0|Age:0", Print.Columns("", "Endpoints"));

    [Fact]
    public void FiveAddresses_CappedAtThree()
    {
        var json = $$$$"""
            {"metadata":{"name":"web","creationTimestamp":"{{{{Print.Minutes(5)}}}}"},
             "subsets":[{"addresses":[{"ip":"10.244.0.5"},{"ip":"10.244.0.6"},{"ip":"10.244.0.7"},{"ip":"10.244.0.8"},{"ip":"10.244.0.9"}],
                         "ports":[{"port":80,"protocol":"TCP"}]}]}
            """;
        Assert.Equal("web|10.244.0.5:80,10.244.0.6:80,10.244.0.7:80 + 2 more...|5m", Row(json));
    }

    [Fact]
    public void TwoPorts_EveryPairCounted()
    {
        var json = """
            {"metadata":{"name":"web"},
             "subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"ports":[{"port":80},{"port":443}]}]}
            """;
        Assert.Equal("web|10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...|<unknown>", Row(json));
    }

    [Fact]
    public void NoPorts_BareIps_Ipv6Bracketed()
    {
        Assert.Equal("h|10.0.0.1,10.0.0.2|<unknown>",
            Row("""{"metadata":{"name":"h"},"subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}]}]}"""));
        Assert.Equal("v6|[fd00::1]:80|<unknown>",
            Row("""{"metadata":{"name":"v6"},"subsets":[{"addresses":[{"ip":"fd00::1"}],"ports":[{"port":80}]}]}"""));
    }

    [Fact]
    public void NoSubsets_None() => Assert.Equal("e|<none>|<unknown>", Row("""{"metadata":{"name":"e"}}"""));

    [Fact]
    public void OnlyNotReadyAddresses_Empty() =>
        Assert.Equal("e||<unknown>", Row("""{"metadata":{"name":"e"},"subsets":[{"notReadyAddresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80}]}]}"""));
}
