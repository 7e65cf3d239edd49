namespace Orchestrator.Agent.Runtime;

/// <summary>The agent always uses <c>no</c>: restarts are its own decision (back-off, probes).</summary>
public sealed class RestartPolicy
{
    public string? Name { get; set; }
    public int MaximumRetryCount { get; set; }
}
