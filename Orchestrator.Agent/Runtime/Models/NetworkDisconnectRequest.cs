namespace Orchestrator.Agent.Runtime;

public sealed class NetworkDisconnectRequest
{
    public string? Container { get; set; }
    public bool Force { get; set; }
}
