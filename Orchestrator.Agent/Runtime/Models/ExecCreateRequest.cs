namespace Orchestrator.Agent.Runtime;

/// <summary>The body of <c>POST /containers/{id}/exec</c>.</summary>
public sealed class ExecCreateRequest
{
    public bool AttachStdin { get; set; }
    public bool AttachStdout { get; set; } = true;
    public bool AttachStderr { get; set; } = true;
    public bool Tty { get; set; }
    public List<string>? Env { get; set; }
    public List<string>? Cmd { get; set; }
    public string? User { get; set; }
    public string? WorkingDir { get; set; }
    public bool Privileged { get; set; }
}
