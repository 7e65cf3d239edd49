using Orchestrator.Agent.Network.Programming;

namespace Orchestrator.Tests.Agent.Network.Programming;

public sealed class IpOutputParsingTests
{
    [Fact]
    public void ParseLink_LabelsPrefixesAndUpFlag()
    {
        const string json = """
            [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"addr_info":[
              {"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo"},
              {"family":"inet","local":"10.96.0.1","prefixlen":32,"scope":"global","label":"lo:orch"}]}]
            """;

        var link = IpJson.ParseLink(json, "lo");

        Assert.True(link.Exists);
        Assert.True(link.Up);
        Assert.Equal(["127.0.0.1/8 lo", "10.96.0.1/32 lo:orch"], link.Addresses.Select(a => $"{a.Address}/{a.PrefixLength} {a.Label}"));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("")]
    [InlineData("""[{"ifname":"eth0","flags":["UP"],"addr_info":[]}]""")]
    public void ParseLink_NoSuchInterface_Missing(string json) => Assert.False(IpJson.ParseLink(json, "lo").Exists);

    [Fact]
    public void ParseRoutes_TypesGatewaysProtocolsAndConnectedSubnets()
    {
        const string json = """
            [{"dst":"default","gateway":"192.168.77.1","dev":"eth0","protocol":"dhcp","flags":[]},
             {"type":"unreachable","dst":"10.96.0.0/12","protocol":"147","flags":[]},
             {"dst":"10.244.2.0/24","gateway":"192.168.90.2","dev":"vA","protocol":"147","flags":[]},
             {"dst":"192.168.90.0/24","dev":"vA","protocol":"kernel","scope":"link","prefsrc":"192.168.90.1","flags":[]},
             {"dst":"10.1.2.3","dev":"vA","scope":"link","flags":[]}]
            """;

        var routes = IpJson.ParseRoutes(json);

        Assert.Equal(
            [
                "(default) unicast via 192.168.77.1 dhcp",
                "10.96.0.0/12 unreachable via - 147",
                "10.244.2.0/24 unicast via 192.168.90.2 147",
                "192.168.90.0/24 unicast via - kernel",
                "10.1.2.3/32 unicast via - ",
            ], routes.Select(r => $"{r.Destination?.ToString() ?? "(default)"} {r.Type} via {r.Gateway?.ToString() ?? "-"} {r.Protocol}"));
        Assert.Equal([false, false, false, true, true], routes.Select(r => r.IsConnectedSubnet));
    }

    [Theory]
    [InlineData("-A POSTROUTING -s 10.0.0.0/8 -m comment --comment \"two words\" -j RETURN", "-A|POSTROUTING|-s|10.0.0.0/8|-m|comment|--comment|two words|-j|RETURN")]
    [InlineData("-A X -m comment --comment \"say \\\"hi\\\"\" -j ACCEPT", "-A|X|-m|comment|--comment|say \"hi\"|-j|ACCEPT")]
    [InlineData("  -A   X  ", "-A|X")]
    public void Tokenize_LikeIptablesSave(string line, string expected) =>
        Assert.Equal(expected, string.Join('|', IptablesOutput.Tokenize(line)));

    [Fact]
    public void ParseChain_OnlyTheChainsRules()
    {
        var rules = IptablesOutput.ParseChain("-P POSTROUTING ACCEPT\n-N OTHER\n-A POSTROUTING -j MASQUERADE\n-A OTHER -j RETURN\n", "POSTROUTING");

        Assert.Equal("-j MASQUERADE", string.Join(' ', rules.Single()));
    }
}
