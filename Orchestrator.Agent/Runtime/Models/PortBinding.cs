namespace Orchestrator.Agent.Runtime;

public sealed class PortBinding
{
    public string? HostIp { get; set; }
    public string? HostPort { get; set; }
}
