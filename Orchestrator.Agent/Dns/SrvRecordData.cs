namespace Orchestrator.Agent.Dns;

/// <summary>SRV (RFC 2782). The target must not be compressed when written, though a reader accepts it compressed.</summary>
public sealed record SrvRecordData(ushort Priority, ushort Weight, ushort Port, DnsName Target) : DnsRecordData
{
    public override DnsType Type => DnsType.SRV;

    public override string ToString() => $"{Priority} {Weight} {Port} {Target}";
}
