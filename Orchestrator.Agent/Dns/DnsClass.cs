namespace Orchestrator.Agent.Dns;

/// <summary>CLASS / QCLASS codes (RFC 1035 §3.2.4-5). Open like <see cref="DnsType"/>: other values round-trip.</summary>
public enum DnsClass : ushort
{
    IN = 1,
    CH = 3,
    ANY = 255,
}
