using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Network.Programming;

namespace Orchestrator.Tests.Agent.Network.Programming;

/// <summary>The programmer against a scripted runner: which commands a snapshot produces, from which kernel state.</summary>
public sealed class NodeNetworkProgrammerTests
{
    private static readonly NodeNetworkOptions Options = new() { AddressLabel = "lo:t1", RuleComment = "t1" };

    private static NodeNetworkProgrammer Create(ScriptedCommandRunner runner, NodeNetworkOptions? options = null) =>
        new(runner, options ?? Options, NullLogger<NodeNetworkProgrammer>.Instance);

    private static readonly Orchestrator.Agent.Services.ClusterServices TwoNodes = Snapshots.Build(3, "n1",
        [Snapshots.Service("default", "kubernetes", "10.96.0.1"), Snapshots.Service("a", "web", "10.96.5.5")],
        [Snapshots.Node("n1", "192.168.77.10", "10.244.1.0/24"), Snapshots.Node("n2", "192.168.77.11", "10.244.2.0/24")]);

    [Fact]
    public async Task ApplyAsync_FromAFreshNode_OneBatchWithAddressesAndRoutes_AndTheRules()
    {
        var runner = new ScriptedCommandRunner();

        var result = await Create(runner).ApplyAsync(TwoNodes, full: true, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.True(result.AddressesApplied);
        var batch = runner.Calls.Single(c => c.Stdin is not null);
        Assert.Equal(["-force", "-batch", "-"], batch.Args);
        Assert.Equal(
            [
                "address add 10.96.0.1/32 dev lo label lo:t1",
                "address add 10.96.0.10/32 dev lo label lo:t1",
                "address add 10.96.5.5/32 dev lo label lo:t1",
                "route replace unreachable 10.96.0.0/12 proto 147",
                "route replace unreachable 10.244.0.0/16 proto 147",
                "route replace 10.244.2.0/24 via 192.168.77.11 proto 147",
            ], runner.BatchLines);
        Assert.Equal(
            [
                "-w 5 -t nat -I POSTROUTING 1 -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j RETURN",
                "-w 5 -t filter -I DOCKER-USER 1 -s 192.168.77.11/32 -d 10.244.1.0/24 -m comment --comment t1 -j ACCEPT",
                "-w 5 -t filter -I DOCKER-USER 1 -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j ACCEPT",
                "-w 5 -t filter -I DOCKER-USER 1 -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment t1 -j ACCEPT",
            ], runner.IptablesWrites);
        Assert.Equal(10, result.Commands);
    }

    [Fact]
    public async Task ApplyAsync_Converged_ReadsOnly()
    {
        var runner = new ScriptedCommandRunner
        {
            AddressJson = """
                [{"ifname":"lo","flags":["UP"],"addr_info":[
                  {"family":"inet","local":"10.96.0.1","prefixlen":32,"label":"lo:t1"},
                  {"family":"inet","local":"10.96.0.10","prefixlen":32,"label":"lo:t1"},
                  {"family":"inet","local":"10.96.5.5","prefixlen":32,"label":"lo:t1"}]}]
                """,
            RouteJson = """
                [{"type":"unreachable","dst":"10.96.0.0/12","protocol":"147","flags":[]},
                 {"type":"unreachable","dst":"10.244.0.0/16","protocol":"147","flags":[]},
                 {"dst":"10.244.2.0/24","gateway":"192.168.77.11","dev":"eth0","protocol":"147","flags":[]},
                 {"dst":"192.168.77.0/24","dev":"eth0","protocol":"kernel","scope":"link","flags":[]}]
                """,
        };
        runner.Chains["nat/POSTROUTING"] = "-A POSTROUTING -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j RETURN\n-A POSTROUTING -s 10.244.1.0/24 ! -o orch0 -j MASQUERADE\n";
        runner.Chains["filter/DOCKER-USER"] = "-N DOCKER-USER\n" +
            "-A DOCKER-USER -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment t1 -j ACCEPT\n" +
            "-A DOCKER-USER -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j ACCEPT\n" +
            "-A DOCKER-USER -s 192.168.77.11/32 -d 10.244.1.0/24 -m comment --comment t1 -j ACCEPT\n-A DOCKER-USER -j RETURN\n";

        var result = await Create(runner).ApplyAsync(TwoNodes, full: true, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(0, result.Commands);
        Assert.DoesNotContain(runner.Calls, c => c.Stdin is not null);
        Assert.Empty(runner.IptablesWrites);
    }

    [Fact]
    public async Task ApplyAsync_RulesUnchangedAndNotFull_IptablesNotEvenRead()
    {
        var runner = new ScriptedCommandRunner();
        var programmer = Create(runner);
        await programmer.ApplyAsync(TwoNodes, full: true, CancellationToken.None);
        runner.Calls.Clear();

        var withAnotherService = Snapshots.Build(4, "n1",
            [Snapshots.Service("default", "kubernetes", "10.96.0.1"), Snapshots.Service("a", "web", "10.96.5.5"), Snapshots.Service("a", "new", "10.96.7.7")],
            [Snapshots.Node("n1", "192.168.77.10", "10.244.1.0/24"), Snapshots.Node("n2", "192.168.77.11", "10.244.2.0/24")]);
        await programmer.ApplyAsync(withAnotherService, full: false, CancellationToken.None);

        Assert.DoesNotContain(runner.Calls, c => c.Program == "iptables");
        Assert.Contains("address add 10.96.7.7/32 dev lo label lo:t1", runner.BatchLines);
    }

    [Fact]
    public async Task ApplyAsync_ForwardChainMissing_AddressesStillApplied_RulesRetriedOnTheNextPass()
    {
        var runner = new ScriptedCommandRunner();
        runner.Chains.Remove("filter/DOCKER-USER");
        var programmer = Create(runner);

        var result = await programmer.ApplyAsync(TwoNodes, full: false, CancellationToken.None);
        Assert.True(result.AddressesApplied);
        runner.Calls.Clear();
        await programmer.ApplyAsync(TwoNodes, full: false, CancellationToken.None);

        Assert.Contains(runner.Calls, c => c.Program == "iptables" && c.Args.Contains("DOCKER-USER"));
    }

    [Fact]
    public async Task ApplyAsync_BatchFails_AnErrorAndAddressesNotApplied()
    {
        var runner = new ScriptedCommandRunner { FailWrites = true };

        var result = await Create(runner).ApplyAsync(TwoNodes, full: true, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.False(result.AddressesApplied);
        Assert.Contains(result.Errors, e => e.Contains("ip -batch") && e.Contains("Operation not permitted"));
    }

    [Fact]
    public async Task CleanupAsync_RemovesOnlyOurAddressesRoutesAndRules()
    {
        var runner = new ScriptedCommandRunner
        {
            AddressJson = """
                [{"ifname":"lo","flags":["UP"],"addr_info":[
                  {"family":"inet","local":"127.0.0.1","prefixlen":8,"label":"lo"},
                  {"family":"inet","local":"10.96.0.1","prefixlen":32,"label":"lo:t1"},
                  {"family":"inet","local":"10.96.0.2","prefixlen":32,"label":"lo:other"}]}]
                """,
            RouteJson = """
                [{"type":"unreachable","dst":"10.96.0.0/12","protocol":"147","flags":[]},
                 {"dst":"10.244.2.0/24","gateway":"192.168.77.11","dev":"eth0","protocol":"147","flags":[]},
                 {"dst":"10.244.3.0/24","gateway":"192.168.77.12","dev":"eth0","protocol":"static","flags":[]}]
                """,
        };
        runner.Chains["nat/POSTROUTING"] = "-A POSTROUTING -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment t1 -j RETURN\n-A POSTROUTING -j MASQUERADE\n";

        var result = await Create(runner).CleanupAsync(CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(
            [
                "address del 10.96.0.1/32 dev lo",
                "route del unreachable 10.96.0.0/12 proto 147",
                "route del 10.244.2.0/24 proto 147",
            ], runner.BatchLines);
        Assert.Equal(["-w 5 -t nat -D POSTROUTING 1"], runner.IptablesWrites);
    }
}
