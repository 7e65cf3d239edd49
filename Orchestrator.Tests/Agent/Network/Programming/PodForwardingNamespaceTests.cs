using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Network.Programming;

namespace Orchestrator.Tests.Agent.Network.Programming;

/// <summary>
/// Forwarding through a node whose firewall is Docker's: node A (192.168.232.1) holds a pod P (10.244.1.5, in a
/// namespace of its own behind the veth "npbr" that plays the bridge, gateway 10.244.1.1); node B (192.168.232.2)
/// holds a pod address 10.244.2.5. A's FORWARD chain is Docker 20.10's (policy DROP, DOCKER-USER first, new
/// connections toward the bridge only through the empty DOCKER chain) and its nat table masquerades the pod subnet.
/// Without the agent's rules neither B's pod nor B itself (its proxy dials from the node address) can open a
/// connection to P; with them both can, and P's own connections reach B with P's address.
/// </summary>
[Trait("Category", "NetworkNamespace")]
public sealed class PodForwardingNamespaceTests
{
    [Fact]
    public async Task DockerUserRules_LetOtherNodesPodsAndNodesIn_AndPodsOutWithTheirOwnAddress()
    {
        await using var a = await TestNetworkNamespace.CreateAsync();
        await using var b = await TestNetworkNamespace.CreateAsync();
        await using var pod = await TestNetworkNamespace.CreateAsync();
        await a.ConnectAsync(b, "npa", "192.168.232.1/24", "npb", "192.168.232.2/24");
        await a.ConnectAsync(pod, "npbr", "10.244.1.1/24", "eth0", "10.244.1.5/24");
        await pod.IpAsync("route", "add", "default", "via", "10.244.1.1");
        await b.IpAsync("address", "add", "10.244.2.5/32", "dev", "lo");
        var forwarding = await a.ExecAsync("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
        Assert.True(forwarding.Succeeded, forwarding.Describe());
        foreach (var rule in new[]
                 {
                     "-P FORWARD DROP", "-N DOCKER", "-N DOCKER-USER", "-A DOCKER-USER -j RETURN",
                     "-A FORWARD -j DOCKER-USER",
                     "-A FORWARD -o npbr -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                     "-A FORWARD -o npbr -j DOCKER",
                     "-A FORWARD -i npbr ! -o npbr -j ACCEPT",
                     "-t nat -A POSTROUTING -s 10.244.1.0/24 ! -o npbr -j MASQUERADE",
                 })
            await a.IptablesAsync(rule.Split(' '));

        // Control: plain routes only. B's connection to the pod is dropped; the pod's to B is masqueraded.
        await a.IpAsync("route", "add", "10.244.2.0/24", "via", "192.168.232.2");
        await b.IpAsync("route", "add", "10.244.1.0/24", "via", "192.168.232.1");
        Assert.Equal("192.168.232.1", await TcpProbe.PeerSeenAsync(b, "10.244.2.5", pod, null, attempts: 30));
        Assert.Null(await TcpProbe.PeerSeenAsync(pod, "10.244.1.5", b, "10.244.2.5", attempts: 3));
        Assert.Null(await TcpProbe.PeerSeenAsync(pod, "10.244.1.5", b, null, attempts: 2)); // B's node address (its proxy)
        await a.IpAsync("route", "del", "10.244.2.0/24");
        await b.IpAsync("route", "del", "10.244.1.0/24");

        var nodes = new[] { Snapshots.Node("n1", "192.168.232.1", "10.244.1.0/24"), Snapshots.Node("n2", "192.168.232.2", "10.244.2.0/24") };
        var options = new NodeNetworkOptions { AddressLabel = "lo:nptest", RuleComment = "netprog-test" };
        foreach (var (ns, node) in new[] { (a, "n1"), (b, "n2") })
        {
            var result = await new NodeNetworkProgrammer(ns.Runner, options, NullLogger<NodeNetworkProgrammer>.Instance)
                .ApplyAsync(Snapshots.Build(1, node, [], nodes), full: true, CancellationToken.None);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        }

        Assert.Equal("10.244.2.5", await TcpProbe.PeerSeenAsync(pod, "10.244.1.5", b, "10.244.2.5", attempts: 30));
        Assert.Equal("10.244.1.5", await TcpProbe.PeerSeenAsync(b, "10.244.2.5", pod, null, attempts: 30));
        Assert.Equal("192.168.232.2", await TcpProbe.PeerSeenAsync(pod, "10.244.1.5", b, null, attempts: 30));
    }
}
