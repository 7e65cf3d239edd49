using System.Net;

namespace Orchestrator.Agent.Services;

/// <summary>
/// One backend address of a Service, from an EndpointSlice endpoint (or a legacy Endpoints address when the service
/// has no slices). <see cref="Ready"/> follows the slice's <c>conditions.ready</c> (ready addresses of Endpoints;
/// true when the condition is absent, as the API defines it); <see cref="Serving"/> and <see cref="Terminating"/>
/// likewise. <see cref="Hostname"/> is set for pods with hostname+subdomain (headless DNS), <see cref="PodName"/> is
/// the targetRef's name when it is a Pod.
/// </summary>
public sealed record EndpointEntry(
    IPAddress Address,
    bool Ready,
    bool Serving,
    bool Terminating,
    string? Hostname,
    string? NodeName,
    string? PodName,
    IReadOnlyList<EndpointPortEntry> Ports)
{
    /// <summary>The backend port for the service port named <paramref name="servicePortName"/>, or null.</summary>
    public int? PortFor(string servicePortName, string protocol)
    {
        foreach (var p in Ports)
            if (p.Name == servicePortName && string.Equals(p.Protocol, protocol, StringComparison.OrdinalIgnoreCase)) return p.Port;
        return null;
    }
}
