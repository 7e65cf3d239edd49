namespace Orchestrator.Agent.Services;

/// <summary>A port of an endpoint: the backend port for the service port of the same <see cref="Name"/> ("" when unnamed).</summary>
public sealed record EndpointPortEntry(string Name, string Protocol, int Port);
