using Orchestrator.Agent.Runtime;

namespace Orchestrator.Agent.Node;

/// <summary>
/// What the agent last saw of the container runtime: the engine's info when it answered, otherwise the error.
/// <see cref="Info"/> may be kept from an earlier observation so that capacity survives a Docker restart.
/// </summary>
public sealed record RuntimeObservation(bool Reachable, DockerSystemInfo? Info, string? Error);
