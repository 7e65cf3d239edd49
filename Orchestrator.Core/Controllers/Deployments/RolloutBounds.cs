using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Deployments;

/// <summary>
/// The numbers a rolling update works within: how many pods may exist above the desired count (maxSurge, percentages
/// rounded up) and how many of the desired pods may be unavailable (maxUnavailable, rounded down). When both resolve
/// to 0 (only possible through rounding; admission rejects 0/0) one pod may be unavailable so the rollout can move.
/// </summary>
public static class RolloutBounds
{
    public const string RollingUpdate = "RollingUpdate";
    public const string Recreate = "Recreate";
    private const string DefaultBound = "25%";

    public static int DesiredReplicas(JsonObject deployment) => (int)(deployment["spec"].Long("replicas") ?? 1);

    public static string StrategyType(JsonObject deployment) => deployment["spec"]?["strategy"].Str("type") ?? RollingUpdate;

    public static bool IsRollingUpdate(JsonObject deployment) => StrategyType(deployment) == RollingUpdate;

    /// <summary>maxSurge and maxUnavailable of a RollingUpdate deployment for <paramref name="desired"/> replicas.</summary>
    public static (int Surge, int Unavailable) ResolveFenceposts(JsonNode? maxSurge, JsonNode? maxUnavailable, int desired)
    {
        var surge = ScaledValue(maxSurge ?? DefaultBound, desired, roundUp: true);
        var unavailable = ScaledValue(maxUnavailable ?? DefaultBound, desired, roundUp: false);
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return (surge, unavailable);
    }

    public static int MaxSurge(JsonObject deployment)
    {
        if (!IsRollingUpdate(deployment)) return 0;
        var rolling = deployment["spec"]?["strategy"]?["rollingUpdate"];
        return ResolveFenceposts(rolling?["maxSurge"], rolling?["maxUnavailable"], DesiredReplicas(deployment)).Surge;
    }

    public static int MaxUnavailable(JsonObject deployment)
    {
        var desired = DesiredReplicas(deployment);
        if (!IsRollingUpdate(deployment) || desired == 0) return 0;
        var rolling = deployment["spec"]?["strategy"]?["rollingUpdate"];
        var unavailable = ResolveFenceposts(rolling?["maxSurge"], rolling?["maxUnavailable"], desired).Unavailable;
        return Math.Min(unavailable, desired);
    }

    /// <summary>An IntOrString: an integer as is, "N%" as N percent of <paramref name="total"/>.</summary>
    public static int ScaledValue(JsonNode? value, int total, bool roundUp)
    {
        if (value is not JsonValue v) return 0;
        if (v.TryGetValue<string>(out var s))
        {
            var percent = s.EndsWith('%');
            if (!int.TryParse(percent ? s[..^1] : s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return 0;
            if (!percent) return n;
            var scaled = (long)n * total;
            return (int)(roundUp ? (scaled + 99) / 100 : scaled / 100);
        }
        return (int)(new JsonObject { ["v"] = v.DeepClone() }.Long("v") ?? 0);
    }
}
