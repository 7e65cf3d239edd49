namespace Orchestrator.Agent.Dns;

/// <summary>CNAME: the canonical name (RFC 1035 §3.3.1); compressible.</summary>
public sealed record CnameRecordData(DnsName Target) : DnsRecordData
{
    public override DnsType Type => DnsType.CNAME;

    public override string ToString() => Target.ToString();
}
