namespace Orchestrator.Agent.Dns;

/// <summary>PTR: a domain name pointer (RFC 1035 §3.3.12); compressible.</summary>
public sealed record PtrRecordData(DnsName Target) : DnsRecordData
{
    public override DnsType Type => DnsType.PTR;

    public override string ToString() => Target.ToString();
}
