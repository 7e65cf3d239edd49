using System.Net;

namespace Orchestrator.Agent.Proxy.ProxyProtocol;

/// <summary>
/// A parsed PROXY protocol header. <see cref="Source"/>/<see cref="Destination"/> are null when the sender did not
/// carry addresses: v1 <c>UNKNOWN</c>, v2 <c>LOCAL</c> (a health check from the proxy itself), or a v2 family/transport
/// we do not model (UNIX sockets, unspecified); the receiver then uses the connection's own addresses, as the
/// specification asks. <see cref="Length"/> is the header's size in bytes including any v2 TLVs, i.e. where the
/// proxied stream starts.
/// </summary>
public sealed record ProxyProtocolInfo(
    ProxyProtocolVersion Version,
    bool IsLocal,
    IPEndPoint? Source,
    IPEndPoint? Destination,
    int Length);
