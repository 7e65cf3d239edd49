using Orchestrator.Core.Model;
using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Jobs;

namespace Orchestrator.Tests.Core.Controllers.Jobs;

public class PodFailureBackoffTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static JsonObject Pod(string phase, int finishedSecondsAfterT0) => new()
    {
        ["metadata"] = new JsonObject { ["creationTimestamp"] = "2026-11-21T00:00:00Z" },
        ["status"] = new JsonObject
        {
            ["phase"] = phase,
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["state"] = new JsonObject
                {
                    ["terminated"] = new JsonObject { ["finishedAt"] = KubeTime.Format(T0.AddSeconds(finishedSecondsAfterT0)) },
                },
            }),
        },
    };

    [Theory]
    // (failures finishing at these seconds, a success at, now in seconds) → remaining seconds (null: none)
    [InlineData(new int[0], -1, 0, null)]
    [InlineData(new[] { 0 }, -1, 0, 10)]
    [InlineData(new[] { 0 }, -1, 4, 6)]
    [InlineData(new[] { 0 }, -1, 10, null)]
    [InlineData(new[] { 0, 10 }, -1, 10, 20)]
    [InlineData(new[] { 0, 10, 30 }, -1, 30, 40)]
    [InlineData(new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, -1, 9, 600)]
    [InlineData(new[] { 0, 10 }, 5, 10, 10)] // only failures after the last success count
    public void Remaining_Table(int[] failures, int success, int now, int? expected)
    {
        var pods = failures.Select(f => Pod("Failed", f)).ToList();
        if (success >= 0) pods.Add(Pod("Succeeded", success));
        var remaining = PodFailureBackoff.Remaining(pods, T0.AddSeconds(now));
        Assert.Equal(expected is { } e ? TimeSpan.FromSeconds(e) : null, remaining);
    }
}
