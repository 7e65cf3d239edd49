namespace Orchestrator.Agent.Runtime;

public sealed class ContainerState
{
    /// <summary>created, running, paused, restarting, removing, exited, dead.</summary>
    public string? Status { get; set; }
    public bool Running { get; set; }
    public bool Paused { get; set; }
    public bool Restarting { get; set; }
    public bool OOMKilled { get; set; }
    public bool Dead { get; set; }
    public int Pid { get; set; }
    public int ExitCode { get; set; }
    public string? Error { get; set; }
    /// <summary>RFC 3339 with nanoseconds; <c>0001-01-01T00:00:00Z</c> when never started.</summary>
    public string? StartedAt { get; set; }
    public string? FinishedAt { get; set; }
}
