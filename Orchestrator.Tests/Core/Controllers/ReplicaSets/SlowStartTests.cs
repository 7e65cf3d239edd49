using Orchestrator.Core.Controllers.ReplicaSets;

namespace Orchestrator.Tests.Core.Controllers.ReplicaSets;

public class SlowStartTests
{
    [Theory]
    [InlineData(0, -1, 0, 0, "")]
    [InlineData(1, -1, 1, 1, "1")]
    [InlineData(10, -1, 10, 10, "1,2,4,3")]
    [InlineData(16, -1, 16, 16, "1,2,4,8,1")]
    [InlineData(10, 0, 0, 1, "1")]          // the very first call fails: one call in all
    [InlineData(10, 2, 2, 3, "1,2")]        // a failure in the second batch stops before the third
    [InlineData(10, 5, 6, 7, "1,2,4")]      // one failure in a batch of four: the other three still count
    public async Task RunAsync_Table(int count, int failingCall, int successes, int calls, string batches)
    {
        // A batch starts all its calls at once, and only after the previous batch ended: calls that started while
        // the same number of calls had finished belong to one batch.
        var made = 0;
        var finished = 0;
        var startedAfter = new List<int>();
        var gate = new object();
        var (ok, error) = await SlowStart.RunAsync(count, async () =>
        {
            int call;
            lock (gate)
            {
                call = made++;
                startedAfter.Add(finished);
            }
            await Task.Delay(30);
            lock (gate) finished++;
            if (call == failingCall) throw new InvalidOperationException("refused");
        });
        var batchSizes = startedAfter.GroupBy(f => f).Select(g => g.Count());
        Assert.Equal(successes, ok);
        Assert.Equal(calls, made);
        Assert.Equal(failingCall >= 0 && failingCall < count, error != null);
        Assert.Equal(batches, string.Join(",", batchSizes));
    }
}
