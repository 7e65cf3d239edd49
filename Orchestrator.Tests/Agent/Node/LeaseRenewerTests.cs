using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Node;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Node;

public sealed class LeaseRenewerTests
{
    private static readonly NodeIdentity Identity = new("worker-1", IPAddress.Loopback, "amd64", "");
    private static readonly AgentOptions Options = new() { Server = new Uri("https://127.0.0.1:6443"), TokenFile = "t" };

    private static (LeaseRenewer Renewer, CredentialRejection Rejection, ApplicationLifetime Lifetime) Create(Orchestrator.Core.Client.IKubeClient client, TimeProvider time)
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var rejection = new CredentialRejection(lifetime, NullLogger<CredentialRejection>.Instance);
        return (new LeaseRenewer(client, Identity, Options, time, rejection, NullLogger<LeaseRenewer>.Instance), rejection, lifetime);
    }

    [Fact]
    public async Task RenewAsync_CreatesThenAdvancesRenewTime_OwnedByTheNode()
    {
        await using var cluster = new TestCluster();
        var node = await cluster.Client.CreateAsync(Kinds.Node, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "worker-1" } });
        var (renewer, _, _) = Create(cluster.Client, cluster.Time);

        await renewer.RenewAsync(CancellationToken.None);
        var created = (await cluster.Client.GetAsync(Kinds.Lease, "kube-node-lease", "worker-1"))!;
        Assert.Equal("2026-11-22T00:00:00.000000Z", created["spec"].Str("renewTime"));
        Assert.Equal("worker-1", created["spec"].Str("holderIdentity"));
        Assert.Equal(40, created["spec"].Long("leaseDurationSeconds"));
        Assert.Equal(node.Uid(), created["metadata"]!["ownerReferences"]![0].Str("uid"));

        cluster.Time.Advance(TimeSpan.FromSeconds(5.25));
        await renewer.RenewAsync(CancellationToken.None);
        var renewed = (await cluster.Client.GetAsync(Kinds.Lease, "kube-node-lease", "worker-1"))!;
        Assert.Equal("2026-11-22T00:00:05.250000Z", renewed["spec"].Str("renewTime"));
        Assert.Equal(created.Uid(), renewed.Uid());
    }

    [Fact]
    public async Task RenewAsync_NodeRegisteredLater_AddsOwnerOnNextRenewal()
    {
        await using var cluster = new TestCluster();
        var (renewer, _, _) = Create(cluster.Client, cluster.Time);
        await renewer.RenewAsync(CancellationToken.None);
        Assert.Null((await cluster.Client.GetAsync(Kinds.Lease, "kube-node-lease", "worker-1"))!["metadata"]!["ownerReferences"]);

        var node = await cluster.Client.CreateAsync(Kinds.Node, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "worker-1" } });
        await renewer.RenewAsync(CancellationToken.None);
        var lease = (await cluster.Client.GetAsync(Kinds.Lease, "kube-node-lease", "worker-1"))!;
        Assert.Equal(node.Uid(), lease["metadata"]!["ownerReferences"]![0].Str("uid"));
    }

    [Fact]
    public async Task ExecuteAsync_CredentialRejected_StopsTheHost()
    {
        var (renewer, rejection, lifetime) = Create(new UnauthorizedClient(), TimeProvider.System);

        await renewer.StartAsync(CancellationToken.None);
        await TestCluster.EventuallyAsync(() => Task.FromResult(rejection.Rejected), "the 401 is reported");
        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
        await renewer.StopAsync(CancellationToken.None);
    }
}
