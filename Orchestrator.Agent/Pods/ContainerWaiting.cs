namespace Orchestrator.Agent.Pods;

/// <summary>
/// Why a container is not running, as its <c>state.waiting</c> shows it: the reason the kubelet uses
/// (ContainerCreating, PodInitializing, ErrImagePull, ImagePullBackOff, CreateContainerConfigError,
/// RunContainerError, CrashLoopBackOff, …) and a human message (Docker's error, the back-off).
/// </summary>
public sealed record ContainerWaiting(string Reason, string? Message = null)
{
    public static readonly ContainerWaiting Creating = new("ContainerCreating");
    public static readonly ContainerWaiting Initializing = new("PodInitializing");
}
