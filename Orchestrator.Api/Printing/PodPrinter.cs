using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>
/// Pods: NAME READY STATUS RESTARTS AGE [IP NODE NOMINATED-NODE READINESS-GATES].
/// STATUS follows kubectl's reading of a pod: the phase (or status.reason), overridden by the first init container
/// that has not finished ("Init:0/2", "Init:CrashLoopBackOff"), then by the last app container that is waiting or
/// terminated with a reason; "Terminating" once deletion started, unless the phase is already final.
/// </summary>
internal sealed class PodPrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Ready", "Ready containers out of all containers (sidecar init containers included)."),
        TableColumn.Str("Status", "Aggregate status of the pod's containers."),
        TableColumn.Str("Restarts", "Container restarts, with the time since the last one."),
        TableColumn.Age,
        TableColumn.Str("IP", "First IP address allocated to the pod.", 1),
        TableColumn.Str("Node", "Node the pod is bound to.", 1),
        TableColumn.Str("Nominated Node", "Node the scheduler nominated for the pod after preemption.", 1),
        TableColumn.Str("Readiness Gates", "Readiness gates whose condition is True, out of all gates.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject pod, PrintContext context)
    {
        var spec = pod["spec"];
        var status = pod["status"];

        var phase = status.Str("phase") ?? "";
        var reason = !string.IsNullOrEmpty(status.Str("reason")) ? status.Str("reason")! : phase;

        if (PrintFormat.Items(status.At("conditions")).Any(c => c.Str("type") == "PodScheduled" && c.Str("reason") == "SchedulingGated"))
            reason = "SchedulingGated";

        // Sidecars (init containers with restartPolicy Always) run alongside the app containers and count as such.
        var restartableInit = new HashSet<string>(StringComparer.Ordinal);
        var initCount = 0;
        foreach (var c in PrintFormat.Items(spec.At("initContainers")))
        {
            initCount++;
            if (c.Str("restartPolicy") == "Always") restartableInit.Add(c.Str("name") ?? "");
        }
        var totalContainers = PrintFormat.Items(spec.At("containers")).Count() + restartableInit.Count;

        long restarts = 0, sidecarRestarts = 0;
        var ready = 0;
        DateTimeOffset? lastRestart = null, sidecarLastRestart = null;
        var initializing = false;

        var initStatuses = PrintFormat.Items(status.At("initContainerStatuses")).ToList();
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var cs = initStatuses[i];
            var isSidecar = restartableInit.Contains(cs.Str("name") ?? "");
            var count = PrintFormat.Int(cs, "restartCount");
            restarts += count;
            var finished = LastTerminated(cs);
            lastRestart = Later(lastRestart, finished);
            if (isSidecar)
            {
                sidecarRestarts += count;
                sidecarLastRestart = Later(sidecarLastRestart, finished);
            }

            var terminated = cs.At("state.terminated");
            var waiting = cs.At("state.waiting");
            if (terminated is JsonObject && PrintFormat.Int(terminated, "exitCode") == 0)
                continue;
            if (isSidecar && cs.Bool("started") == true)
            {
                if (cs.Bool("ready") == true) ready++;
                continue;
            }

            if (terminated is JsonObject)
                reason = "Init:" + TerminatedReason(terminated);
            else if (waiting is JsonObject && !string.IsNullOrEmpty(waiting.Str("reason")) && waiting.Str("reason") != "PodInitializing")
                reason = "Init:" + waiting.Str("reason");
            else
                reason = $"Init:{i}/{initCount}";
            initializing = true;
            break;
        }

        if (!initializing || PrintFormat.HasTrueCondition(pod, "Initialized"))
        {
            restarts = sidecarRestarts;
            lastRestart = sidecarLastRestart;
            var hasRunning = false;
            var statuses = PrintFormat.Items(status.At("containerStatuses")).ToList();
            // Walk backwards so that the first container with a reason wins.
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var cs = statuses[i];
                restarts += PrintFormat.Int(cs, "restartCount");
                lastRestart = Later(lastRestart, LastTerminated(cs));

                var waiting = cs.At("state.waiting");
                var terminated = cs.At("state.terminated");
                if (waiting is JsonObject && !string.IsNullOrEmpty(waiting.Str("reason")))
                    reason = waiting.Str("reason")!;
                else if (terminated is JsonObject)
                    reason = TerminatedReason(terminated);
                else if (cs.Bool("ready") == true && cs.At("state.running") is JsonObject)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            if (reason == "Completed" && hasRunning)
                reason = PrintFormat.HasTrueCondition(pod, "Ready") ? "Running" : "NotReady";
        }

        var deleting = pod.At("metadata.deletionTimestamp") is JsonValue;
        if (deleting && status.Str("reason") == "NodeLost")
            reason = "Unknown";
        else if (deleting && phase is not ("Succeeded" or "Failed"))
            reason = "Terminating";

        var restartsText = restarts.ToString();
        if (restarts != 0 && lastRestart is { } lr)
            restartsText = $"{restarts} ({HumanDuration.Format(context.Now - lr)} ago)";

        return
        [
            pod.Name() ?? "",
            $"{ready}/{totalContainers}",
            reason,
            restartsText,
            context.Age(pod),
            PrintFormat.OrNone(PodIp(status)),
            PrintFormat.OrNone(spec.Str("nodeName")),
            PrintFormat.OrNone(status.Str("nominatedNodeName")),
            ReadinessGates(spec, status),
        ];
    }

    private static string TerminatedReason(JsonNode terminated)
    {
        if (!string.IsNullOrEmpty(terminated.Str("reason"))) return terminated.Str("reason")!;
        var signal = PrintFormat.Int(terminated, "signal");
        return signal != 0 ? $"Signal:{signal}" : $"ExitCode:{PrintFormat.Int(terminated, "exitCode")}";
    }

    private static DateTimeOffset? LastTerminated(JsonNode containerStatus) =>
        PrintContext.ParseTime(containerStatus.At("lastState.terminated").Str("finishedAt"));

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (b > a ? b : a);

    private static string? PodIp(JsonNode? status)
    {
        var first = PrintFormat.Items(status.At("podIPs")).FirstOrDefault();
        return first != null ? first.Str("ip") : status.Str("podIP");
    }

    private static string ReadinessGates(JsonNode? spec, JsonNode? status)
    {
        var gates = PrintFormat.Items(spec.At("readinessGates")).ToList();
        if (gates.Count == 0) return PrintFormat.None;
        var conditions = PrintFormat.Items(status.At("conditions")).ToList();
        var passed = 0;
        foreach (var gate in gates)
        {
            var condition = conditions.FirstOrDefault(c => c.Str("type") == gate.Str("conditionType"));
            if (condition.Str("status") == "True") passed++;
        }
        return $"{passed}/{gates.Count}";
    }
}
