namespace Orchestrator.Agent.Dns;

/// <summary>NS: an authoritative name server (RFC 1035 §3.3.11); compressible.</summary>
public sealed record NsRecordData(DnsName Target) : DnsRecordData
{
    public override DnsType Type => DnsType.NS;

    public override string ToString() => Target.ToString();
}
