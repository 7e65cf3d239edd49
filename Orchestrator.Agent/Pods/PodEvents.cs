using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// The Events the kubelet records on a pod (<c>kubectl describe pod</c> shows them; Scheduled is the scheduler's):
/// Pulling/Pulled/Failed for images, Created/Started/Failed/Killing/BackOff for containers, Unhealthy for probes,
/// FailedMount for volumes, SandboxChanged. Fire and forget: recording never delays or fails a sync.
/// </summary>
public sealed class PodEvents(IKubeClient client, TimeProvider time, ILoggerFactory loggers)
{
    public const string Component = "kubelet";

    private readonly EventRecorder _recorder = new(client, time, loggers.CreateLogger<EventRecorder>(), Component);

    public void Normal(JsonObject pod, string reason, string message) => Record(pod, EventRecorder.Normal, reason, message);

    public void Warning(JsonObject pod, string reason, string message) => Record(pod, EventRecorder.Warning, reason, message);

    /// <summary>The pod as the kubelet names it in messages: <c>NAME_NAMESPACE(UID)</c>.</summary>
    public static string Format(JsonObject pod) => $"{pod.Name()}_{pod.Namespace()}({pod.Uid()})";

    private void Record(JsonObject pod, string type, string reason, string message)
    {
        // The pod reference must carry apiVersion/kind even when the cached object lacks them (lists strip them).
        var involved = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = pod.Name(),
                ["namespace"] = pod.Namespace(),
                ["uid"] = pod.Uid(),
                ["resourceVersion"] = pod.ResourceVersion(),
            },
        };
        _ = _recorder.RecordAsync(involved, type, reason, message, CancellationToken.None);
    }
}
