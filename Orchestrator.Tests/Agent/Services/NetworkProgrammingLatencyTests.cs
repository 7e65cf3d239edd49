using System.Text.Json.Nodes;
using Orchestrator.Tests.Support;
using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Services;

public class NetworkProgrammingLatencyTests
{
    private static ClusterServices Snapshot(long version, DateTimeOffset now, string trigger) =>
        ClusterServicesBuilder.Build(version, now, "n", NetworkSettings.Default,
            [JsonNode.Parse("""{"metadata":{"name":"web","namespace":"default","creationTimestamp":"2026-11-22T10:00:00Z"},"spec":{"clusterIP":"10.96.0.5","ports":[{"port":80}]}}""")!.AsObject()],
            [JsonNode.Parse($$$"""{"metadata":{"name":"web-1","namespace":"default","labels":{"kubernetes.io/service-name":"web"},"annotations":{"endpoints.kubernetes.io/last-change-trigger-time":"{{{trigger}}}"}},"ports":[{"port":80}],"endpoints":[]}""")!.AsObject()],
            [], [], []);

    [Fact]
    public void Latency_IsMeasuredWhenTheLastComponentHasApplied_OncePerTrigger()
    {
        var time = new ManualTimeProvider(DateTimeOffset.Parse("2026-11-22T10:00:01Z"));
        var latency = new NetworkProgrammingLatency(time);
        latency.Register("proxy");
        latency.Register("dns");
        var s1 = Snapshot(1, time.GetUtcNow(), "2026-11-22T10:00:00.800Z");

        latency.Applied("proxy", s1);
        Assert.Equal(0, latency.Histogram.Count); // dns has not caught up
        time.Advance(TimeSpan.FromMilliseconds(100));
        latency.Applied("dns", s1);
        Assert.Equal(1, latency.Histogram.Count);
        Assert.Equal(0.3, latency.Histogram.Quantile(0.5)!.Value, 3);

        // The same trigger in a later snapshot is not measured again.
        var s2 = Snapshot(2, time.GetUtcNow(), "2026-11-22T10:00:00.800Z");
        latency.Applied("proxy", s2);
        latency.Applied("dns", s2);
        Assert.Equal(1, latency.Histogram.Count);
    }

    [Fact]
    public void FirstSightOfAnOldService_IsNotALatency()
    {
        var time = new ManualTimeProvider(DateTimeOffset.Parse("2026-11-22T11:00:00Z"));
        var latency = new NetworkProgrammingLatency(time);
        latency.Register("proxy");
        latency.Applied("proxy", Snapshot(1, time.GetUtcNow(), "2026-11-22T10:00:00Z"));
        Assert.Equal(0, latency.Histogram.Count);
    }
}
