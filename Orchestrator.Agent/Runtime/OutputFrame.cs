namespace Orchestrator.Agent.Runtime;

/// <summary>One chunk of container output: which stream it came from and its bytes (owned by the receiver).</summary>
public readonly record struct OutputFrame(StdStream Stream, byte[] Data);
