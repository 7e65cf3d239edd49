using System.Net;
using Orchestrator.Agent.Network;
using Orchestrator.Agent.Network.Programming;

namespace Orchestrator.Tests.Agent.Network.Programming;

public sealed class NetworkPlanTests
{
    private static readonly NodeNetworkOptions Options = new() { AddressLabel = "lo:t1" };

    private static Ipv4Cidr Cidr(string text) => Ipv4Cidr.TryParse(text, out var c) ? c : throw new FormatException(text);

    private static IPAddress[] Ips(params string[] texts) => texts.Select(IPAddress.Parse).ToArray();

    [Fact]
    public void AddressCommands_AddsMissing_RemovesOnlyOurLabel_LeavesForeignAddressesAlone()
    {
        var link = new LinkState(true, true,
        [
            new LinkAddress(IPAddress.Parse("127.0.0.1"), 8, "lo"),
            new LinkAddress(IPAddress.Parse("10.96.0.1"), 32, "lo:t1"),   // wanted, ours: stays
            new LinkAddress(IPAddress.Parse("10.96.0.2"), 32, "lo:t1"),   // not wanted, ours: goes
            new LinkAddress(IPAddress.Parse("10.96.0.3"), 32, "lo:x"),    // not wanted, someone else's: stays
            new LinkAddress(IPAddress.Parse("10.96.0.4"), 32, "lo"),      // wanted, someone else's: left as it is
            new LinkAddress(IPAddress.Parse("10.96.0.5"), 24, "lo:t1"),   // wanted but not a /32: replaced
        ]);

        var lines = NetworkPlan.AddressCommands(link, Ips("10.96.0.1", "10.96.0.4", "10.96.0.5", "10.96.0.10"), Options);

        Assert.Equal(
            [
                "address del 10.96.0.2/32 dev lo",
                "address del 10.96.0.5/24 dev lo",
                "address add 10.96.0.5/32 dev lo label lo:t1",
                "address add 10.96.0.10/32 dev lo label lo:t1",
            ], lines);
    }

    [Fact]
    public void AddressCommands_Converged_Nothing_AndADownInterfaceIsBroughtUp()
    {
        var link = new LinkState(true, false, [new LinkAddress(IPAddress.Parse("10.96.0.1"), 32, "lo:t1")]);

        Assert.Equal(["link set dev lo up"], NetworkPlan.AddressCommands(link, Ips("10.96.0.1"), Options));
        Assert.Empty(NetworkPlan.AddressCommands(link with { Up = true }, Ips("10.96.0.1"), Options));
    }

    [Fact]
    public void RouteCommands_ReplacesMissingOrChanged_DeletesOnlyOurStaleRoutes()
    {
        IReadOnlyList<KernelRoute> actual =
        [
            new(Cidr("10.96.0.0/12"), "unreachable", null, null, "147", null),                        // right: nothing
            new(Cidr("10.244.2.0/24"), "unicast", IPAddress.Parse("192.168.77.99"), "eth0", "147", null), // gateway changed
            new(Cidr("10.244.9.0/24"), "unicast", IPAddress.Parse("192.168.77.19"), "eth0", "147", null), // node gone
            new(Cidr("10.250.0.0/16"), "unreachable", null, null, "147", null),                        // old cluster CIDR
            new(Cidr("10.99.0.0/16"), "unicast", IPAddress.Parse("192.168.77.1"), "eth0", "static", null), // not ours
            new(Cidr("192.168.77.0/24"), "unicast", null, "eth0", "kernel", "link"),
            new(null, "unicast", IPAddress.Parse("192.168.77.1"), "eth0", "dhcp", null),
        ];
        IReadOnlyList<DesiredRoute> desired =
        [
            new(Cidr("10.96.0.0/12"), null, "service CIDR"),
            new(Cidr("10.244.0.0/16"), null, "cluster CIDR"),
            new(Cidr("10.244.2.0/24"), IPAddress.Parse("192.168.77.11"), "node n2"),
            new(Cidr("192.168.77.0/24"), IPAddress.Parse("192.168.77.12"), "node odd"),
        ];
        var conflicts = new List<DesiredRoute>();

        var lines = NetworkPlan.RouteCommands(actual, desired, 147, conflicts);

        Assert.Equal(
            [
                "route replace unreachable 10.244.0.0/16 proto 147",
                "route replace 10.244.2.0/24 via 192.168.77.11 proto 147",
                "route del 10.244.9.0/24 proto 147",
                "route del unreachable 10.250.0.0/16 proto 147",
            ], lines);
        Assert.Equal("node odd", conflicts.Single().Why);
    }

    private static readonly IReadOnlySet<string> Masquerade = new HashSet<string> { "MASQUERADE", "SNAT" };

    private static IptablesRule Return(string comment = "t1") =>
        new("nat", "POSTROUTING", ["-s", "10.244.1.0/24", "-d", "10.244.0.0/16", "-m", "comment", "--comment", comment, "-j", "RETURN"]);

    private static IReadOnlyList<IReadOnlyList<string>> Chain(string text) => IptablesOutput.ParseChain(text, "POSTROUTING");

    [Fact]
    public void ChainCommands_MissingRule_InsertedAtTheTop()
    {
        var current = Chain("-P POSTROUTING ACCEPT\n-A POSTROUTING -s 10.244.1.0/24 ! -o orch0 -j MASQUERADE\n");

        var commands = NetworkPlan.ChainCommands("nat", "POSTROUTING", current, [Return()], "t1", Masquerade);

        Assert.Equal(["-w 5 -t nat -I POSTROUTING 1 -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j RETURN"],
            commands.Select(c => string.Join(' ', c)));
    }

    [Fact]
    public void ChainCommands_InPlace_Nothing_ButBehindAMasquerade_MovedToTheTop()
    {
        var good = Chain("-A POSTROUTING -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j RETURN\n" +
                         "-A POSTROUTING -s 10.244.1.0/24 ! -o orch0 -j MASQUERADE\n");
        Assert.Empty(NetworkPlan.ChainCommands("nat", "POSTROUTING", good, [Return()], "t1", Masquerade));

        var behind = Chain("-A POSTROUTING -s 10.244.1.0/24 ! -o orch0 -j MASQUERADE\n" +
                           "-A POSTROUTING -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j RETURN\n");
        var commands = NetworkPlan.ChainCommands("nat", "POSTROUTING", behind, [Return()], "t1", Masquerade);
        Assert.Equal(
            [
                "-w 5 -t nat -I POSTROUTING 1 -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j RETURN",
                "-w 5 -t nat -D POSTROUTING 3",
            ], commands.Select(c => string.Join(' ', c)));
    }

    [Fact]
    public void ChainCommands_StaleAndDuplicateRulesOfOurs_Deleted_HighestNumberFirst_ForeignCommentsKept()
    {
        var current = Chain(
            "-A POSTROUTING -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j RETURN\n" +
            "-A POSTROUTING -s 10.244.7.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j RETURN\n" +
            "-A POSTROUTING -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment other -j RETURN\n" +
            "-A POSTROUTING -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j RETURN\n");

        var commands = NetworkPlan.ChainCommands("nat", "POSTROUTING", current, [Return()], "t1", Masquerade);

        Assert.Equal(["-w 5 -t nat -D POSTROUTING 4", "-w 5 -t nat -D POSTROUTING 2"], commands.Select(c => string.Join(' ', c)));
    }

    [Fact]
    public void ChainCommands_NothingWanted_DeletesAllOfOurs()
    {
        var current = Chain("-A POSTROUTING -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j RETURN\n-A POSTROUTING -j MASQUERADE\n");

        var commands = NetworkPlan.ChainCommands("nat", "POSTROUTING", current, [], "t1", Masquerade);

        Assert.Equal(["-w 5 -t nat -D POSTROUTING 1"], commands.Select(c => string.Join(' ', c)));
    }
}
