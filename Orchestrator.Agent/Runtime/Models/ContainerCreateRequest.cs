namespace Orchestrator.Agent.Runtime;

/// <summary>The body of <c>POST /containers/create</c>; the name goes in the query.</summary>
public sealed class ContainerCreateRequest : ContainerConfig
{
    public HostConfig? HostConfig { get; set; }
    public NetworkingConfig? NetworkingConfig { get; set; }
}
