using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers;

public sealed class LeaderElectorTests
{
    private static LeaderElector Candidate(TestCluster cluster, string id) =>
        new(cluster.Client, cluster.Time, NullLogger<LeaderElector>.Instance, "kube-system", "test-lease", id);

    [Fact]
    public async Task OnlyOneCandidateLeads_AndTheOtherTakesOverAfterTheLeaseExpires()
    {
        await using var cluster = new TestCluster();
        var a = Candidate(cluster, "a");
        var b = Candidate(cluster, "b");
        var leading = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        using var stopA = new CancellationTokenSource();
        var runA = a.RunAsync(async ct => { leading["a"] = true; try { await Task.Delay(Timeout.Infinite, ct); } finally { leading["a"] = false; } }, stopA.Token);
        await TestCluster.EventuallyAsync(() => Task.FromResult(leading.GetValueOrDefault("a")), "a leads");

        using var stopB = new CancellationTokenSource();
        var runB = b.RunAsync(async ct => { leading["b"] = true; try { await Task.Delay(Timeout.Infinite, ct); } finally { leading["b"] = false; } }, stopB.Token);
        cluster.Time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(200);
        Assert.False(leading.GetValueOrDefault("b"), "b must not lead while a renews");

        // a stops renewing (its process is gone); once the lease has expired b takes over.
        await stopA.CancelAsync();
        await runA;
        for (var i = 0; i < 10 && !leading.GetValueOrDefault("b"); i++)
        {
            cluster.Time.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(100);
        }
        await TestCluster.EventuallyAsync(() => Task.FromResult(leading.GetValueOrDefault("b")), "b takes over");
        var lease = await cluster.Client.GetAsync(Kinds.Lease, "kube-system", "test-lease");
        Assert.Equal("b", lease!["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, lease["spec"]!["leaseTransitions"]!.GetValue<long>());
        await stopB.CancelAsync();
        await runB;
    }
}
