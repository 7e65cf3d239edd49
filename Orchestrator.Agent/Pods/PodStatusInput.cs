using System.Text.Json.Nodes;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// Everything <see cref="PodStatusBuilder"/> needs, gathered by the pod worker: the pod as the API has it (its
/// current status keeps startTime, PodScheduled and transition times stable), what Docker shows, the waiting
/// reasons of this sync, the probes' verdicts, and how to name images.
/// </summary>
/// <param name="Waiting">Per spec container name: why it is not running right now (from this sync's actions).</param>
/// <param name="IsReady">Readiness of a running container by Docker id (the probe manager's answer).</param>
/// <param name="IsStarted">Startup-probe state of a running container by Docker id.</param>
/// <param name="ImageRefs">Docker image id → the status imageID (<c>docker-pullable://repo@sha256:…</c>); others get <c>docker://ID</c>.</param>
public sealed record PodStatusInput(
    JsonObject Pod,
    ObservedPod Observed,
    string? PodIp,
    string HostIp,
    DateTimeOffset Now,
    IReadOnlyDictionary<string, ContainerWaiting> Waiting,
    Func<string, bool> IsReady,
    Func<string, bool> IsStarted,
    IReadOnlyDictionary<string, string> ImageRefs);
