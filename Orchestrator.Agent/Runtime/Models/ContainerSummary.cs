namespace Orchestrator.Agent.Runtime;

/// <summary>An entry of <c>GET /containers/json</c>.</summary>
public sealed class ContainerSummary
{
    public string? Id { get; set; }
    public List<string>? Names { get; set; }
    public string? Image { get; set; }
    public string? ImageID { get; set; }
    public string? Command { get; set; }
    public long Created { get; set; }
    /// <summary>created, running, exited, …</summary>
    public string? State { get; set; }
    public string? Status { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}
