using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Controllers.GarbageCollection;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.GarbageCollection;

public sealed class EventTtlControllerTests
{
    private static JsonObject Event(string name, string? lastTimestamp) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["name"] = "p", ["namespace"] = "default" },
        ["reason"] = "Test",
        ["message"] = "m",
        ["type"] = "Normal",
        ["lastTimestamp"] = lastTimestamp,
    };

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    [Theory]
    [InlineData("""{"lastTimestamp":"2026-11-22T00:00:00Z"}""", "2026-11-22T00:00:00Z")]
    [InlineData("""{"eventTime":"2026-11-22T00:00:00.123456Z","series":{"lastObservedTime":"2026-11-22T00:10:00.000000Z"}}""", "2026-11-22T00:10:00Z")]
    [InlineData("""{"firstTimestamp":"2026-11-22T00:00:00Z","lastTimestamp":"2026-11-22T00:30:00Z"}""", "2026-11-22T00:30:00Z")]
    [InlineData("""{"metadata":{"creationTimestamp":"2026-11-22T01:00:00Z"}}""", "2026-11-22T01:00:00Z")]
    [InlineData("""{"lastTimestamp":"2026-11-22T00:00:00Z","metadata":{"creationTimestamp":"2026-11-22T01:00:00Z"}}""", "2026-11-22T00:00:00Z")]
    [InlineData("""{}""", null)]
    public void LastSeen_TakesTheLatestTimestamp(string json, string? expected) =>
        Assert.Equal(expected == null ? null : DateTimeOffset.Parse(expected), EventTtlController.LastSeen(JsonNode.Parse(json)!.AsObject()));

    [Fact]
    public async Task Events_ExpireAnHourAfterTheyWereLastSeen()
    {
        await using var c = new TestCluster();
        var now = c.Time.GetUtcNow();
        await c.Client.CreateAsync(Kinds.Event, "default", Event("old", Stamp(now.AddHours(-2))));
        await c.Client.CreateAsync(Kinds.Event, "default", Event("fresh", Stamp(now)));
        await c.Client.CreateAsync(Kinds.Event, "default", Event("untimed", null)); // falls back to creationTimestamp
        var controller = new EventTtlController(c.Client, c.Time, NullLogger<EventTtlController>.Instance);
        _ = c.Run(controller);

        await TestCluster.EventuallyAsync(async () => await c.Client.GetAsync(Kinds.Event, "default", "old") == null, "the old event expires");
        Assert.NotNull(await c.Client.GetAsync(Kinds.Event, "default", "fresh"));

        var minutes = 0;
        await TestCluster.EventuallyAsync(async () =>
        {
            if (await c.Client.GetAsync(Kinds.Event, "default", "fresh") == null &&
                await c.Client.GetAsync(Kinds.Event, "default", "untimed") == null) return true;
            c.Time.Advance(TimeSpan.FromMinutes(1));
            minutes++;
            return false;
        }, "the fresh events expire in their turn");
        Assert.InRange(minutes, 60, 63);
    }
}
