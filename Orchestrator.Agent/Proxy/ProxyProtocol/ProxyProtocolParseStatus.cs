namespace Orchestrator.Agent.Proxy.ProxyProtocol;

/// <summary>
/// What <see cref="ProxyProtocolHeader.TryParse"/> made of the bytes read so far. <see cref="NeedMoreData"/> means the
/// bytes are a valid prefix of a header (read more and call again); <see cref="Invalid"/> means no amount of further
/// data can make them a header, and the connection should be closed.
/// </summary>
public enum ProxyProtocolParseStatus
{
    Complete,
    NeedMoreData,
    Invalid,
}
