namespace Orchestrator.Agent.Runtime;

public sealed class DockerEventActor
{
    public string? ID { get; set; }
    /// <summary>For containers: the labels plus image, name and (on die) exitCode.</summary>
    public Dictionary<string, string>? Attributes { get; set; }
}
