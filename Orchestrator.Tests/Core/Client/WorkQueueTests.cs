using Orchestrator.Core.Client;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Client;

public sealed class WorkQueueTests
{
    private static async Task<string?> TryGet(WorkQueue<string> q, int ms = 100)
    {
        using var cts = new CancellationTokenSource(ms);
        try
        {
            return await q.GetAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task Add_SameKeyTwiceBeforeProcessing_IsProcessedOnce()
    {
        using var q = new WorkQueue<string>(new ManualTimeProvider());
        q.Add("a");
        q.Add("a");
        Assert.Equal("a", await TryGet(q));
        Assert.Null(await TryGet(q));
    }

    [Fact]
    public async Task Add_WhileInFlight_IsRequeuedOnlyAfterDone()
    {
        using var q = new WorkQueue<string>(new ManualTimeProvider());
        q.Add("a");
        var key = await TryGet(q);
        q.Add("a");
        Assert.Null(await TryGet(q)); // never two workers on one key
        q.Done(key!);
        Assert.Equal("a", await TryGet(q));
    }

    [Fact]
    public async Task AddRateLimited_WaitsForBackoffAndForgetResets()
    {
        var time = new ManualTimeProvider();
        using var q = new WorkQueue<string>(time);
        q.AddRateLimited("a");
        q.AddRateLimited("a");
        Assert.Equal(2, q.NumRequeues("a"));
        Assert.Null(await TryGet(q, 50));
        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal("a", await TryGet(q));
        q.Forget("a");
        Assert.Equal(0, q.NumRequeues("a"));
    }

    [Fact]
    public async Task AddAfter_FiresWhenTheClockPassesTheDelay()
    {
        var time = new ManualTimeProvider();
        using var q = new WorkQueue<string>(time);
        q.AddAfter("later", TimeSpan.FromSeconds(30));
        Assert.Null(await TryGet(q, 50));
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await TryGet(q, 50));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("later", await TryGet(q));
    }
}
