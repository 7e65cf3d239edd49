using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Deployments;

namespace Orchestrator.Tests.Core.Controllers.Deployments;

public sealed class RolloutBoundsTests
{
    public static TheoryData<JsonNode, JsonNode, int, int, int> Fenceposts => new()
    {
        { "25%", "25%", 4, 1, 1 },
        { "25%", "25%", 3, 1, 0 },   // surge rounds up, unavailable down
        { "10%", "10%", 1, 1, 0 },
        { "30%", "20%", 10, 3, 2 },
        { "100%", 0, 2, 2, 0 },
        { 2, "50%", 5, 2, 2 },
        { "0%", "10%", 5, 0, 1 },    // both round to 0: one pod may be unavailable so the rollout can move
        { 0, 0, 3, 0, 1 },
    };

    [Theory]
    [MemberData(nameof(Fenceposts))]
    public void ResolveFenceposts_ScalesPercentagesAndNeverReturnsZeroZero(JsonNode surge, JsonNode unavailable, int desired, int expectedSurge, int expectedUnavailable) =>
        Assert.Equal((expectedSurge, expectedUnavailable), RolloutBounds.ResolveFenceposts(surge, unavailable, desired));

    [Fact]
    public void MaxUnavailable_IsCappedAtTheDesiredCount_AndZeroForRecreate()
    {
        var d = DeploymentTestKit.Deployment("web", 3, configure: DeploymentTestKit.Rolling(1, 5));
        Assert.Equal(3, RolloutBounds.MaxUnavailable(d));
        Assert.Equal(1, RolloutBounds.MaxSurge(d));
        d["spec"]!["strategy"] = new JsonObject { ["type"] = "Recreate" };
        Assert.Equal(0, RolloutBounds.MaxUnavailable(d));
        Assert.Equal(0, RolloutBounds.MaxSurge(d));
    }
}
