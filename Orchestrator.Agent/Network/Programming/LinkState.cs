namespace Orchestrator.Agent.Network.Programming;

/// <summary>The service-address interface as read: whether it exists and is up, and its IPv4 addresses.</summary>
public sealed record LinkState(bool Exists, bool Up, IReadOnlyList<LinkAddress> Addresses)
{
    public static readonly LinkState Missing = new(false, false, []);
}
