namespace Orchestrator.Agent.Runtime;

public sealed class NetworkIpam
{
    public string? Driver { get; set; }
    public List<NetworkIpamConfig>? Config { get; set; }
    public Dictionary<string, string>? Options { get; set; }
}
