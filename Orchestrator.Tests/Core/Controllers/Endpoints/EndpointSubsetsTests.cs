using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Endpoints;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Core.Controllers.Endpoints;

public sealed class EndpointSubsetsTests
{
    private static JsonObject Address(string ip) => new() { ["ip"] = ip, ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["uid"] = "u-" + ip } };

    private static JsonObject Port(string name, int number) => new() { ["name"] = name, ["port"] = number, ["protocol"] = "TCP" };

    [Fact]
    public void Build_PortsWithSameAddresses_ShareOneSubset()
    {
        var packer = new EndpointSubsets();
        foreach (var ip in new[] { "10.0.0.2", "10.0.0.1" })
        {
            packer.Add(Address(ip), true, Port("https", 8443));
            packer.Add(Address(ip), true, Port("http", 8080));
        }
        var subset = Assert.Single(packer.Build());
        Assert.Equal(["10.0.0.1", "10.0.0.2"], subset.Addresses.Select(a => a.Str("ip")));
        Assert.Equal(["http", "https"], subset.Ports.Select(p => p.Str("name")));
    }

    [Fact]
    public void Build_PortOfferedBySomeAddresses_SplitsAsUpstreamRepack()
    {
        // A offers http and https, B only http: upstream groups ports by address set → {A,B}:http and {A}:https.
        var packer = new EndpointSubsets();
        packer.Add(Address("10.0.0.1"), true, Port("http", 8080));
        packer.Add(Address("10.0.0.1"), true, Port("https", 8443));
        packer.Add(Address("10.0.0.2"), true, Port("http", 8080));
        var subsets = packer.Build();
        Assert.Equal(2, subsets.Count);
        var http = subsets.Single(s => s.Ports.Single().Str("name") == "http");
        var https = subsets.Single(s => s.Ports.Single().Str("name") == "https");
        Assert.Equal(2, http.Addresses.Count);
        Assert.Single(https.Addresses);
    }

    [Fact]
    public void Build_ReadinessDiffers_SameSubsetSplitByList()
    {
        var packer = new EndpointSubsets();
        packer.Add(Address("10.0.0.1"), true, Port("http", 8080));
        packer.Add(Address("10.0.0.2"), false, Port("http", 8080));
        var subset = Assert.Single(packer.Build());
        Assert.Single(subset.Addresses);
        Assert.Single(subset.NotReadyAddresses);
        Assert.Equal("""{"addresses":[{"ip":"10.0.0.1","targetRef":{"kind":"Pod","uid":"u-10.0.0.1"}}],"notReadyAddresses":[{"ip":"10.0.0.2","targetRef":{"kind":"Pod","uid":"u-10.0.0.2"}}],"ports":[{"name":"http","port":8080,"protocol":"TCP"}]}""",
            subset.ToJson().ToJsonString());
    }

    [Fact]
    public void Build_NoPorts_AddressesOnly()
    {
        var packer = new EndpointSubsets();
        packer.Add(Address("10.0.0.1"), true, null);
        var subset = Assert.Single(packer.Build());
        Assert.Empty(subset.Ports);
        Assert.Null(subset.ToJson()["ports"]);
    }

    [Fact]
    public void Build_InputOrder_DoesNotChangeResult()
    {
        string Render(IEnumerable<int> order)
        {
            var packer = new EndpointSubsets();
            foreach (var i in order) packer.Add(Address($"10.0.{i % 3}.{i}"), i % 2 == 0, Port("p", 8000 + i % 3));
            return new JsonArray(packer.Build().Select(s => (JsonNode)s.ToJson()).ToArray()).ToJsonString();
        }
        Assert.Equal(Render(Enumerable.Range(0, 30)), Render(Enumerable.Range(0, 30).Reverse()));
    }

    /// <summary>ready/notReady per subset in, capacity → expected ready/notReady per subset out.</summary>
    [Theory]
    [InlineData("5/0", 10, "5/0", false)]
    [InlineData("5/5", 10, "5/5", false)]
    [InlineData("6/6", 10, "6/4", true)]           // ready kept, not-ready cut
    [InlineData("12/3", 10, "10/0", true)]         // ready alone over capacity: not-ready all go
    [InlineData("6/2,6/2", 10, "5/0,5/0", true)]   // proportional shares of ready
    [InlineData("4/4,2/2", 10, "4/3,2/1", true)]   // 4 not-ready slots split 2:1 → ceil(2.67)=3, rest 1
    [InlineData("9/0,0/9", 10, "9/0,0/1", true)]
    public void Truncate_KeepsReadyFirstProportionally(string input, int capacity, string expected, bool truncated)
    {
        var subsets = new List<EndpointSubset>();
        var n = 0;
        foreach (var part in input.Split(','))
        {
            var counts = part.Split('/').Select(int.Parse).ToArray();
            var s = new EndpointSubset();
            for (var i = 0; i < counts[0]; i++) s.Addresses.Add(Address($"10.1.0.{n++}"));
            for (var i = 0; i < counts[1]; i++) s.NotReadyAddresses.Add(Address($"10.2.0.{n++}"));
            s.Ports.Add(Port("p", 80 + subsets.Count));
            subsets.Add(s);
        }
        Assert.Equal(truncated, EndpointSubsets.Truncate(subsets, capacity));
        Assert.Equal(expected, string.Join(",", subsets.Select(s => $"{s.Addresses.Count}/{s.NotReadyAddresses.Count}")));
    }
}
