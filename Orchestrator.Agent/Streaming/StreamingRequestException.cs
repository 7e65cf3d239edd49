namespace Orchestrator.Agent.Streaming;

/// <summary>A request the agent's streaming port refuses, answered as a Kubernetes Status with this code and reason.</summary>
public sealed class StreamingRequestException(int code, string reason, string message) : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;
}
