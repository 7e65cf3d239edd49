namespace Orchestrator.Agent.Runtime;

/// <summary><c>GET /images/{name}/json</c>.</summary>
public sealed class ImageInspect
{
    public string? Id { get; set; }
    public List<string>? RepoTags { get; set; }
    public List<string>? RepoDigests { get; set; }
    public string? Created { get; set; }
    public long Size { get; set; }
    public ContainerConfig? Config { get; set; }
}
