using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.ReplicaSets;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Core.Controllers.ReplicaSets;

public class ReplicaStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static JsonObject Owner(long replicas = 3, long minReadySeconds = 10, JsonObject? status = null) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default", ["generation"] = 7 },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["minReadySeconds"] = minReadySeconds,
            ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web", ["v"] = "1" } } },
        },
        ["status"] = status?.DeepClone(),
    };

    private static JsonObject Pod(bool fullyLabeled, int? readyAgo)
    {
        var labels = new JsonObject { ["app"] = "web" };
        if (fullyLabeled) labels["v"] = "1";
        var conditions = new JsonArray();
        if (readyAgo != null)
            conditions.Add(new JsonObject
            {
                ["type"] = "Ready", ["status"] = "True",
                ["lastTransitionTime"] = Now.AddSeconds(-readyAgo.Value).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            });
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = labels },
            ["status"] = new JsonObject { ["phase"] = "Running", ["conditions"] = conditions },
        };
    }

    [Fact]
    public void Calculate_CountsEachKind()
    {
        var pods = new[] { Pod(true, 60), Pod(true, 3), Pod(false, null) };
        var status = ReplicaStatus.Calculate(Owner(), pods, null, Now);
        Assert.Equal(3, status.Long("replicas"));
        Assert.Equal(2, status.Long("fullyLabeledReplicas"));
        Assert.Equal(2, status.Long("readyReplicas"));
        Assert.Equal(1, status.Long("availableReplicas"));
        Assert.Equal(7, status.Long("observedGeneration"));
        Assert.Null(status["conditions"]);
    }

    [Fact]
    public void Calculate_ZeroCountsOmittedAndUnknownFieldsKept()
    {
        var status = ReplicaStatus.Calculate(Owner(status: new JsonObject { ["readyReplicas"] = 2, ["terminatingReplicas"] = 1 }), [], null, Now);
        Assert.Equal(0, status.Long("replicas"));
        Assert.False(status.ContainsKey("readyReplicas"));
        Assert.False(status.ContainsKey("availableReplicas"));
        Assert.Equal(1, status.Long("terminatingReplicas"));
    }

    [Theory]
    [InlineData(1, "FailedCreate")]
    [InlineData(5, "FailedDelete")]
    public void Calculate_ManageError_RaisesReplicaFailureOnceAndClearsIt(int pods, string reason)
    {
        var active = Enumerable.Range(0, pods).Select(_ => Pod(true, null)).ToList();
        var failed = ReplicaStatus.Calculate(Owner(), active, new InvalidOperationException("no room"), Now);
        var condition = Assert.Single(failed["conditions"]!.AsArray())!.AsObject();
        Assert.Equal(ReplicaStatus.ReplicaFailure, condition.Str("type"));
        Assert.Equal(reason, condition.Str("reason"));
        Assert.Equal("no room", condition.Str("message"));

        // A later failure keeps the condition as it was (no rewrite, no new transition time).
        var again = ReplicaStatus.Calculate(Owner(status: failed), active, new InvalidOperationException("still no room"), Now.AddMinutes(1));
        Assert.True(JsonNode.DeepEquals(failed, again));

        var recovered = ReplicaStatus.Calculate(Owner(status: failed), active, null, Now);
        Assert.False(recovered.ContainsKey("conditions"));
    }

    [Fact]
    public void NextAvailabilityCheck_EarliestPendingPod()
    {
        var pods = new[] { Pod(true, 60), Pod(true, 3), Pod(true, 7), Pod(true, null) };
        Assert.Equal(TimeSpan.FromSeconds(3), ReplicaStatus.NextAvailabilityCheck(Owner(minReadySeconds: 10), pods, Now));
        Assert.Null(ReplicaStatus.NextAvailabilityCheck(Owner(minReadySeconds: 0), pods, Now));
        Assert.Null(ReplicaStatus.NextAvailabilityCheck(Owner(minReadySeconds: 2), pods, Now));
    }
}
