using System.Text.Json.Nodes;
using Orchestrator.Agent.Services;

namespace DnsBench;

/// <summary>
/// The records of PERF-BASELINES §3: 100 ClusterIP services svc-{1..20}.ns-{1..5} at 10.96.ns.svc, built through the
/// agent's own <see cref="ClusterServicesBuilder"/>.
/// </summary>
internal static class SyntheticCluster
{
    public static ClusterServices Build()
    {
        var services = new List<JsonObject>();
        for (var ns = 1; ns <= 5; ns++)
        {
            for (var s = 1; s <= 20; s++)
            {
                services.Add(new JsonObject
                {
                    ["metadata"] = new JsonObject { ["namespace"] = $"ns-{ns}", ["name"] = $"svc-{s}" },
                    ["spec"] = new JsonObject
                    {
                        ["type"] = "ClusterIP",
                        ["clusterIP"] = $"10.96.{ns}.{s}",
                        ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["protocol"] = "TCP" }),
                    },
                });
            }
        }

        var namespaces = Enumerable.Range(1, 5).Select(n => new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"ns-{n}" } });
        return ClusterServicesBuilder.Build(1, DateTimeOffset.UtcNow, "bench", NetworkSettings.Default, services, [], [], [], namespaces);
    }
}
