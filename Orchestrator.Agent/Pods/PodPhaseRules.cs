using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// The pod phase from its container statuses, as the kubelet's <c>getPhase</c> computes it:
/// <list type="bullet">
/// <item>a failed init container (terminated non-zero, or waiting after such an exit) of a Never pod → Failed;</item>
/// <item>an init container still pending, or an app container that never ran → Pending;</item>
/// <item>every app container started and one of them running → Running;</item>
/// <item>none running, all stopped: Always → Running (they are restarting); all exit 0 → Succeeded; Never with a
/// failure → Failed; OnFailure with a failure → Running (restarting);</item>
/// <item>a pod already Succeeded or Failed never leaves that phase.</item>
/// </list>
/// </summary>
public static class PodPhaseRules
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    public static bool IsTerminal(string? phase) => phase is Succeeded or Failed;

    public static string Phase(JsonObject pod, JsonArray initStatuses, JsonArray statuses, string? previousPhase)
    {
        if (IsTerminal(previousPhase))
            return previousPhase!;
        var policy = RestartPolicyRules.PolicyOf(pod);

        int pendingInit = 0, failedInit = 0;
        foreach (var c in Names(pod, "initContainers"))
        {
            var s = Find(initStatuses, c);
            var state = s?["state"];
            if (s is null || state?["running"] is not null)
                pendingInit++;
            else if (state?["terminated"] is { } t)
            {
                if (t.Long("exitCode") != 0) failedInit++;
            }
            else if (s["lastState"]?["terminated"] is { } last)
            {
                if (last.Long("exitCode") != 0) failedInit++;
            }
            else
                pendingInit++;
        }

        int unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;
        foreach (var c in Names(pod, "containers"))
        {
            var s = Find(statuses, c);
            var state = s?["state"];
            if (s is null || state is null)
                unknown++;
            else if (state["running"] is not null)
                running++;
            else if (state["terminated"] is { } t)
            {
                stopped++;
                if (t.Long("exitCode") == 0) succeeded++;
            }
            else if (s["lastState"]?["terminated"] is not null)
                stopped++;
            else
                waiting++;
        }

        if (failedInit > 0 && policy == RestartPolicyRules.Never)
            return Failed;
        if (pendingInit > 0 || waiting > 0)
            return Pending;
        if (running > 0 && unknown == 0)
            return Running;
        if (running == 0 && stopped > 0 && unknown == 0)
        {
            if (policy == RestartPolicyRules.Always) return Running;
            if (stopped == succeeded) return Succeeded;
            return policy == RestartPolicyRules.Never ? Failed : Running;
        }
        return Pending;
    }

    private static IEnumerable<string> Names(JsonObject pod, string field) =>
        (pod["spec"]?[field] as JsonArray ?? []).Select(c => c.Str("name")).OfType<string>();

    private static JsonNode? Find(JsonArray statuses, string name) => statuses.FirstOrDefault(s => s.Str("name") == name);
}
