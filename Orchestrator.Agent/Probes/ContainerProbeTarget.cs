using System.Text.Json.Nodes;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// A running container whose probes run: the pod (for named ports and the pod IP), the container's spec (its
/// livenessProbe, readinessProbe, startupProbe, lifecycle) and its Docker id (for exec probes and hooks).
/// <paramref name="StartedAt"/> is when Docker started it (initialDelaySeconds counts from there).
/// </summary>
public sealed record ContainerProbeTarget(
    string PodUid,
    JsonObject Pod,
    JsonObject Container,
    string ContainerId,
    string? PodIp,
    DateTimeOffset StartedAt);
