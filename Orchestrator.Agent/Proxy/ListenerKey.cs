using System.Net;

namespace Orchestrator.Agent.Proxy;

/// <summary>One socket the proxy listens on: address, port and protocol (TCP or UDP, upper case).</summary>
public sealed record ListenerKey(IPAddress Address, int Port, string Protocol)
{
    public IPEndPoint EndPoint => new(Address, Port);

    public override string ToString() => $"{Address}:{Port}/{Protocol}";
}
