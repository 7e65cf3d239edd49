namespace Orchestrator.Agent.Runtime;

public sealed class ContainerWaitResponse
{
    public long StatusCode { get; set; }
    public ContainerWaitError? Error { get; set; }
}
