namespace Orchestrator.Agent.Probes;

/// <summary>
/// A probe or hook handler that cannot be run as written: a port name the container does not declare, no pod IP to
/// aim at, no handler at all. A probe reports this as <see cref="ProbeOutcome.Error"/> (not counted), a hook as its
/// failure.
/// </summary>
public sealed class HandlerSpecException(string message) : Exception(message);
