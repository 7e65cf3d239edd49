namespace Orchestrator.Agent.Runtime;

/// <summary><c>GET /exec/{id}/json</c>; <see cref="ExitCode"/> is null while running.</summary>
public sealed class ExecInspect
{
    public string? ID { get; set; }
    public string? ContainerID { get; set; }
    public bool Running { get; set; }
    public int? ExitCode { get; set; }
    public int Pid { get; set; }
    public bool OpenStdin { get; set; }
}
