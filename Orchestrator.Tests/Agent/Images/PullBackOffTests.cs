using Orchestrator.Agent.Images;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Images;

public sealed class PullBackOffTests
{
    [Fact]
    public void Failures_DoubleFrom10sTo5Min()
    {
        var time = new ManualTimeProvider();
        var backOff = new PullBackOff(time);
        Assert.Null(backOff.Remaining("k"));

        var expected = new[] { 10, 20, 40, 80, 160, 300, 300 };
        foreach (var seconds in expected)
        {
            backOff.RecordFailure("k");
            Assert.Equal(TimeSpan.FromSeconds(seconds), backOff.CurrentWait("k"));
            Assert.Equal(TimeSpan.FromSeconds(seconds), backOff.Remaining("k"));
            time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            Assert.NotNull(backOff.Remaining("k"));
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Null(backOff.Remaining("k"));
        }
    }

    [Fact]
    public void KeysAreIndependent_AndSuccessResets()
    {
        var time = new ManualTimeProvider();
        var backOff = new PullBackOff(time);
        backOff.RecordFailure("a");
        backOff.RecordFailure("a");
        Assert.Null(backOff.Remaining("b"));
        Assert.Equal(TimeSpan.FromSeconds(20), backOff.CurrentWait("a"));
        backOff.Reset("a");
        Assert.Null(backOff.Remaining("a"));
        backOff.RecordFailure("a");
        Assert.Equal(TimeSpan.FromSeconds(10), backOff.CurrentWait("a"));
    }

    [Fact]
    public void QuietForTwiceTheMaximum_StartsOver()
    {
        var time = new ManualTimeProvider();
        var backOff = new PullBackOff(time);
        backOff.RecordFailure("k");
        backOff.RecordFailure("k");
        time.Advance(TimeSpan.FromMinutes(10));
        backOff.RecordFailure("k");
        Assert.Equal(TimeSpan.FromSeconds(40), backOff.CurrentWait("k")); // exactly 2 × max: not yet expired
        time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        backOff.RecordFailure("k");
        Assert.Equal(TimeSpan.FromSeconds(10), backOff.CurrentWait("k"));
    }
}
