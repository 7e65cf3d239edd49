namespace Orchestrator.Agent.Runtime;

public sealed class ContainerWaitError
{
    public string? Message { get; set; }
}
