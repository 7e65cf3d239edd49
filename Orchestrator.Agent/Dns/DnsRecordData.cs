namespace Orchestrator.Agent.Dns;

/// <summary>
/// Typed RDATA. Subclasses are immutable records with value equality (names compare case-insensitively); ToString is
/// the presentation form of the RDATA alone.
/// </summary>
public abstract record DnsRecordData
{
    public abstract DnsType Type { get; }
}
