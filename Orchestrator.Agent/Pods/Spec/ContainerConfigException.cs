namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// A container cannot be created from its spec as things stand (a missing ConfigMap key, a Secret that does not
/// exist, a volume that cannot be mounted). The pod worker shows it as the container's waiting state, with the
/// kubelet's reason (<c>CreateContainerConfigError</c>, <c>CreateContainerError</c>, …) and this message, and tries
/// again later; nothing else about the pod stops.
/// </summary>
public sealed class ContainerConfigException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}
