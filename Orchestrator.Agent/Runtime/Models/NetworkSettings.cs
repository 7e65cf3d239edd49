namespace Orchestrator.Agent.Runtime;

public sealed class NetworkSettings
{
    public string? SandboxKey { get; set; }
    public string? IPAddress { get; set; }
    public int IPPrefixLen { get; set; }
    public string? Gateway { get; set; }
    public string? MacAddress { get; set; }
    public Dictionary<string, List<PortBinding>?>? Ports { get; set; }
    public Dictionary<string, EndpointSettings>? Networks { get; set; }
}
