namespace Orchestrator.Agent.Runtime;

/// <summary>The <c>condition</c> of <c>POST /containers/{id}/wait</c>.</summary>
public enum WaitCondition
{
    /// <summary>Returns at once for a container that is not running.</summary>
    NotRunning,
    /// <summary>Waits for the next exit even if the container is stopped now.</summary>
    NextExit,
    Removed,
}
