namespace Orchestrator.Agent.Pods;

/// <summary>What the pod worker does next with one spec container (see <see cref="RestartPolicyRules.Decide"/>).</summary>
public enum ContainerAction
{
    /// <summary>It runs with the current spec: nothing to do.</summary>
    Keep,
    /// <summary>Created but never started (the agent stopped in between): start it.</summary>
    Start,
    /// <summary>It never ran in this pod: create attempt 0.</summary>
    Create,
    /// <summary>It exited and the restart policy wants it back: a new attempt, after the crash-loop back-off.</summary>
    Restart,
    /// <summary>Its spec changed (e.g. a new image): kill it and create the next attempt from the new spec at once.</summary>
    Replace,
    /// <summary>It exited for good (init container succeeded, or the restart policy does not restart it).</summary>
    Done,
}
