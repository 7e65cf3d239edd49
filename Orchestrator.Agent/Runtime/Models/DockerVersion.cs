namespace Orchestrator.Agent.Runtime;

/// <summary><c>GET /version</c>.</summary>
public sealed class DockerVersion
{
    public string? Version { get; set; }
    public string? ApiVersion { get; set; }
    public string? MinAPIVersion { get; set; }
    public string? Os { get; set; }
    public string? Arch { get; set; }
    public string? KernelVersion { get; set; }
    public string? GitCommit { get; set; }
}
