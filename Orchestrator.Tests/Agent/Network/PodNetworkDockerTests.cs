using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Network;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Agent.Runtime;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Network;

/// <summary>
/// The pod network on the real dockerd, with names of its own (<c>images-test-…</c>, bridge <c>imgt…</c>) so that it
/// never touches a real agent's <c>orchestrator-pods</c>/<c>orch0</c>, and the test subnet 10.250.78.0/24.
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Category", "Docker")]
public sealed class PodNetworkDockerTests(DockerFixture fixture) : DockerTestBase(fixture)
{
    private const string TestCidr = "10.250.78.0/24";
    private const string OtherCidr = "10.250.77.0/24";

    private string NetworkName => $"images-test-pods-{RunId}";
    private string BridgeName => $"imgt{RunId[..8]}";
    private string NodeName => $"images-node-{RunId}";

    private PodNetwork Create(TestCluster cluster) => new(Docker, cluster.Client,
        new NodeIdentity(NodeName, IPAddress.Loopback, "amd64", ""), TimeProvider.System, NullLogger<PodNetwork>.Instance,
        new PodNetworkOptions
        {
            NetworkName = NetworkName,
            BridgeName = BridgeName,
            PodCidrPollInterval = TimeSpan.FromMilliseconds(100),
            Labels = Labels(),
        });

    private async Task CreateNodeAsync(TestCluster cluster, string? podCidr)
    {
        var node = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = NodeName } };
        if (podCidr is not null)
            node["spec"] = new JsonObject { ["podCIDR"] = podCidr, ["podCIDRs"] = new JsonArray(podCidr) };
        await cluster.Client.CreateAsync(Kinds.Node, null, node, Ct);
    }

    [Fact]
    public async Task WaitsForThePodCidr_ThenCreatesTheBridge_AndReusesIt()
    {
        await using var cluster = new TestCluster();
        using var network = Create(cluster);
        await CreateNodeAsync(cluster, podCidr: null);

        var ensuring = network.EnsureAsync(Ct);
        await Task.Delay(500, Ct);
        Assert.False(ensuring.IsCompleted, "no podCIDR yet: EnsureAsync waits");
        Assert.Null(await Docker.TryInspectNetworkAsync(NetworkName, Ct));

        // What the server's node IPAM does.
        var node = (await cluster.Client.GetAsync(Kinds.Node, null, NodeName, Ct))!;
        node.Obj("spec")["podCIDR"] = TestCidr;
        node.Obj("spec")["podCIDRs"] = new JsonArray(TestCidr);
        await cluster.Client.UpdateAsync(Kinds.Node, node, Ct);

        Assert.Equal(NetworkName, await ensuring.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        var created = await Docker.InspectNetworkAsync(NetworkName, Ct);
        Assert.Equal("bridge", created.Driver);
        var ipam = Assert.Single(created.IPAM!.Config!);
        Assert.Equal(TestCidr, ipam.Subnet);
        Assert.Equal("10.250.78.1", ipam.Gateway);
        Assert.Equal(BridgeName, created.Options![PodNetwork.BridgeNameOption]);
        Assert.Equal("true", created.Labels![PodNetwork.PodNetworkLabel]);
        Assert.Equal(NodeName, created.Labels[PodNetwork.NodeLabel]);
        Assert.True(Directory.Exists($"/sys/class/net/{BridgeName}"), $"the bridge interface {BridgeName} exists");
        Assert.Equal(TestCidr, network.PodCidr!.ToString());

        // A sandbox on it gets an address from the pod CIDR.
        var sandbox = await CreateAsync(new ContainerCreateRequest
        {
            Image = DockerFixture.Image,
            Cmd = ["sleep", "60"],
            Labels = Labels(),
            HostConfig = new HostConfig { NetworkMode = NetworkName },
        });
        await Docker.StartContainerAsync(sandbox, Ct);
        var address = (await Docker.InspectContainerAsync(sandbox, Ct)).NetworkSettings!.Networks![NetworkName].IPAddress;
        Assert.StartsWith("10.250.78.", address);

        // Again (a later pod, or an agent restart): the same network, untouched.
        Assert.Equal(NetworkName, await network.EnsureAsync(Ct));
        using var restarted = Create(cluster);
        Assert.Equal(NetworkName, await restarted.EnsureAsync(Ct));
        Assert.Equal(created.Id, (await Docker.InspectNetworkAsync(NetworkName, Ct)).Id);
    }

    [Fact]
    public async Task OtherSubnet_Unused_IsRecreated_InUse_IsKept()
    {
        await using var cluster = new TestCluster();
        await CreateNodeAsync(cluster, TestCidr);

        // Left over from when this node had another CIDR, with a container on it.
        var old = await Docker.CreateNetworkAsync(new NetworkCreateRequest
        {
            Name = NetworkName,
            IPAM = new NetworkIpam { Config = [new NetworkIpamConfig { Subnet = OtherCidr, Gateway = "10.250.77.1" }] },
            Labels = Labels(),
        }, Ct);
        var user = await CreateAsync(new ContainerCreateRequest
        {
            Image = DockerFixture.Image,
            Cmd = ["sleep", "60"],
            Labels = Labels(),
            HostConfig = new HostConfig { NetworkMode = NetworkName },
        });
        await Docker.StartContainerAsync(user, Ct);

        using (var network = Create(cluster))
        {
            Assert.Equal(NetworkName, await network.EnsureAsync(Ct));
            var kept = await Docker.InspectNetworkAsync(NetworkName, Ct);
            Assert.Equal(old, kept.Id);
            Assert.Equal(OtherCidr, kept.IPAM!.Config!.Single().Subnet);
        }

        // Once nothing uses it, the next agent start replaces it.
        await Docker.RemoveContainerAsync(user, force: true, volumes: true, Ct);
        using (var network = Create(cluster))
        {
            Assert.Equal(NetworkName, await network.EnsureAsync(Ct));
            var replaced = await Docker.InspectNetworkAsync(NetworkName, Ct);
            Assert.NotEqual(old, replaced.Id);
            Assert.Equal(TestCidr, replaced.IPAM!.Config!.Single().Subnet);
            Assert.Equal(BridgeName, replaced.Options![PodNetwork.BridgeNameOption]);
        }
    }

    [Fact]
    public async Task Cancelled_WhileWaitingForTheCidr_Throws()
    {
        await using var cluster = new TestCluster();
        using var network = Create(cluster);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => network.EnsureAsync(cts.Token));
    }
}
