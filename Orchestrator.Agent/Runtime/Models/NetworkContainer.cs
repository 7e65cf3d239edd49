namespace Orchestrator.Agent.Runtime;

public sealed class NetworkContainer
{
    public string? Name { get; set; }
    public string? EndpointID { get; set; }
    public string? MacAddress { get; set; }
    /// <summary>CIDR form, e.g. <c>10.244.1.5/24</c>.</summary>
    public string? IPv4Address { get; set; }
    public string? IPv6Address { get; set; }
}
