namespace Orchestrator.Agent.Runtime;

public sealed class ExecStartRequest
{
    public bool Detach { get; set; }
    public bool Tty { get; set; }
}
