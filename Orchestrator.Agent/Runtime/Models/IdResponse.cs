namespace Orchestrator.Agent.Runtime;

/// <summary>The answer of the create calls (container, exec, network).</summary>
public sealed class IdResponse
{
    public string? Id { get; set; }
    public List<string>? Warnings { get; set; }
    public string? Warning { get; set; }
}
