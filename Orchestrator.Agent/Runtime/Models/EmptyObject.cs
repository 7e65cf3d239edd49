namespace Orchestrator.Agent.Runtime;

/// <summary>Docker's <c>{}</c> set members (ExposedPorts, Volumes).</summary>
public sealed class EmptyObject
{
}
