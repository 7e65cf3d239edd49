using System.Net;

namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>One endpoint address:port of a service port, the node it runs on, and its shared <see cref="BackendHealth"/>.</summary>
public sealed class Backend(IPEndPoint endPoint, string? nodeName, BackendHealth health)
{
    public IPEndPoint EndPoint { get; } = endPoint;

    public string? NodeName { get; } = nodeName;

    public BackendHealth Health { get; } = health;

    public override string ToString() => EndPoint.ToString();
}
