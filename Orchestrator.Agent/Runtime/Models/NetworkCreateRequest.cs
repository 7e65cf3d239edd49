namespace Orchestrator.Agent.Runtime;

/// <summary>The body of <c>POST /networks/create</c>.</summary>
public sealed class NetworkCreateRequest
{
    public string? Name { get; set; }
    public bool CheckDuplicate { get; set; } = true;
    public string? Driver { get; set; } = "bridge";
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public bool EnableIPv6 { get; set; }
    public NetworkIpam? IPAM { get; set; }
    /// <summary>Driver options, e.g. <c>com.docker.network.bridge.name</c>, <c>com.docker.network.bridge.enable_ip_masquerade</c>.</summary>
    public Dictionary<string, string>? Options { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}
