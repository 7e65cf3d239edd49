namespace Orchestrator.Agent.Runtime;

public sealed class NetworkIpamConfig
{
    public string? Subnet { get; set; }
    public string? IPRange { get; set; }
    public string? Gateway { get; set; }
}
