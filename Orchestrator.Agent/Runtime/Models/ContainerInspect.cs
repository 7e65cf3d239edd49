namespace Orchestrator.Agent.Runtime;

/// <summary><c>GET /containers/{id}/json</c>.</summary>
public sealed class ContainerInspect
{
    public string? Id { get; set; }
    /// <summary>With Docker's leading slash.</summary>
    public string? Name { get; set; }
    public string? Created { get; set; }
    /// <summary>The image id (sha256:…).</summary>
    public string? Image { get; set; }
    public int RestartCount { get; set; }
    public ContainerState? State { get; set; }
    public ContainerConfig? Config { get; set; }
    public HostConfig? HostConfig { get; set; }
    public NetworkSettings? NetworkSettings { get; set; }
}
