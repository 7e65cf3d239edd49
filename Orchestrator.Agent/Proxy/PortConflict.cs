namespace Orchestrator.Agent.Proxy;

/// <summary>A listener that could not be bound: the error, and the process holding the port when the agent can tell.</summary>
public sealed record PortConflict(DesiredListener Listener, string Error, string? Holder)
{
    public string Describe() =>
        $"{Listener.Key} ({Listener.Kind} of port {(Listener.Port.Name is { Length: > 0 } n ? n : Listener.Port.Port.ToString())}): {Error}" +
        (Holder != null ? $", held by {Holder}" : "");
}
