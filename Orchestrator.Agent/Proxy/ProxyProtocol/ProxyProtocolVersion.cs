namespace Orchestrator.Agent.Proxy.ProxyProtocol;

/// <summary>The two PROXY protocol versions: v1 is one human-readable text line, v2 a binary block.</summary>
public enum ProxyProtocolVersion
{
    V1 = 1,
    V2 = 2,
}
