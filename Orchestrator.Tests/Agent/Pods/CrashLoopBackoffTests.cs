using Orchestrator.Agent.Pods;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Pods;

public sealed class CrashLoopBackoffTests
{
    private readonly ManualTimeProvider _time = new();
    private const string Key = "uid/c/h";

    /// <summary>A container that exits right after each restart: exit, (maybe wait), restart.</summary>
    private TimeSpan CrashOnce(CrashLoopBackoff backoff)
    {
        var exited = _time.GetUtcNow();
        var waited = TimeSpan.Zero;
        while (backoff.IsInBackOff(Key, exited, out _, out var remaining))
        {
            _time.Advance(remaining);
            waited += remaining;
        }
        backoff.Next(Key, exited);
        return waited;
    }

    [Fact]
    public void FirstRestartIsImmediate_ThenDoublesFromTenSecondsToFiveMinutes()
    {
        var backoff = new CrashLoopBackoff(_time);
        var waits = Enumerable.Range(0, 9).Select(_ => CrashOnce(backoff).TotalSeconds).ToList();
        Assert.Equal([0, 10, 20, 40, 80, 160, 300, 300, 300], waits);
    }

    [Fact]
    public void IsInBackOff_ReportsCurrentDelayAndRemaining()
    {
        var backoff = new CrashLoopBackoff(_time);
        CrashOnce(backoff);
        CrashOnce(backoff);
        var exited = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(backoff.IsInBackOff(Key, exited, out var current, out var remaining));
        Assert.Equal(TimeSpan.FromSeconds(20), current);
        Assert.Equal(TimeSpan.FromSeconds(15), remaining);
    }

    [Fact]
    public void RunningForTenMinutes_ResetsToTenSeconds()
    {
        var backoff = new CrashLoopBackoff(_time);
        for (var i = 0; i < 5; i++) CrashOnce(backoff);
        // The last restart was just now; it runs for more than 10 min, then exits.
        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, CrashOnce(backoff));
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Get(Key)!.Backoff);
    }

    [Fact]
    public void ForgetPod_DropsOnlyThatPod()
    {
        var backoff = new CrashLoopBackoff(_time);
        backoff.Next("uid/a/h", _time.GetUtcNow());
        backoff.Next("other/a/h", _time.GetUtcNow());
        backoff.ForgetPod("uid");
        Assert.Null(backoff.Get("uid/a/h"));
        Assert.NotNull(backoff.Get("other/a/h"));
    }

    [Theory]
    [InlineData(10, "10s")]
    [InlineData(20, "20s")]
    [InlineData(80, "1m20s")]
    [InlineData(300, "5m0s")]
    public void FormatGoDuration_AsKubeletPrints(int seconds, string expected) =>
        Assert.Equal(expected, CrashLoopBackoff.FormatGoDuration(TimeSpan.FromSeconds(seconds)));
}
