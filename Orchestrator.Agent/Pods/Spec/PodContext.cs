using System.Text.Json.Nodes;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// What a pod's containers are built from besides the pod itself: where the agent runs and what the sandbox
/// gave the pod. <paramref name="VolumeDirectory"/> is the pod's folder under the agent's data dir
/// (<c>DATA/pods/UID/volumes</c>) where emptyDir, configMap, secret and downwardAPI volumes are materialised.
/// </summary>
public sealed record PodContext(
    JsonObject Pod,
    string NodeName,
    string HostIp,
    string? PodIp,
    string SandboxContainerId,
    string VolumeDirectory);
