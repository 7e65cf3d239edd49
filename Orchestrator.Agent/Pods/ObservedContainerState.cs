namespace Orchestrator.Agent.Pods;

/// <summary>What Docker says about one container, reduced to what the pod's status and restart rules need.</summary>
public enum ObservedContainerState
{
    /// <summary>Created and never started (the agent stopped between create and start): start it.</summary>
    Created,
    Running,
    /// <summary>Ran and exited, or could not be started at all (<see cref="ObservedContainer.StartFailed"/>).</summary>
    Exited,
}
