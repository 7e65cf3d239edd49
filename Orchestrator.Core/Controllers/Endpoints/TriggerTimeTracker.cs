using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>
/// Computes the <c>endpoints.kubernetes.io/last-change-trigger-time</c> annotation: the earliest time of the pod or
/// service changes seen since the previous sync of that service (a pod's trigger is its Ready condition's
/// lastTransitionTime, the service's its creation time). The first sync of a service reports its creation time.
/// Like upstream's tracker it can be wrong when one object changes several times between two syncs; that is
/// accepted, the annotation only feeds a latency measurement. Not called concurrently for one key (work queue).
/// </summary>
public sealed class TriggerTimeTracker
{
    private sealed record State(DateTimeOffset? Service, Dictionary<string, DateTimeOffset> Pods);

    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public DateTimeOffset? Compute(string key, JsonObject service, IEnumerable<JsonObject> pods)
    {
        State? previous;
        lock (_gate) _states.TryGetValue(key, out previous);

        DateTimeOffset? earliest = null;
        var podTimes = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (KubeTime.Parse(PodStatus.Condition(pod, "Ready").Str("lastTransitionTime")) is not { } t) continue;
            podTimes[pod.Name() ?? ""] = t;
            if (previous == null || !previous.Pods.TryGetValue(pod.Name() ?? "", out var before) || t > before)
                earliest = Min(earliest, t);
        }
        var serviceTime = KubeTime.Parse(service["metadata"].Str("creationTimestamp"));
        if (serviceTime is { } st && (previous?.Service is not { } ps || st > ps)) earliest = Min(earliest, st);

        lock (_gate) _states[key] = new State(serviceTime, podTimes);
        return previous == null ? serviceTime : earliest;
    }

    public void Forget(string key)
    {
        lock (_gate) _states.Remove(key);
    }

    /// <summary>RFC 3339 with nanosecond-style fraction trimmed, as upstream's RFC3339Nano prints.</summary>
    public static string Format(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('.') + "Z";

    private static DateTimeOffset Min(DateTimeOffset? current, DateTimeOffset value) =>
        current is { } c && c <= value ? c : value;
}
