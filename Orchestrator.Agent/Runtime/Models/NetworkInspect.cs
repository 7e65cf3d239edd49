namespace Orchestrator.Agent.Runtime;

/// <summary><c>GET /networks/{id}</c> and the entries of <c>GET /networks</c>.</summary>
public sealed class NetworkInspect
{
    public string? Name { get; set; }
    public string? Id { get; set; }
    public string? Created { get; set; }
    public string? Scope { get; set; }
    public string? Driver { get; set; }
    public bool Internal { get; set; }
    public NetworkIpam? IPAM { get; set; }
    public Dictionary<string, NetworkContainer>? Containers { get; set; }
    public Dictionary<string, string>? Options { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}
