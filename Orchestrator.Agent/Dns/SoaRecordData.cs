namespace Orchestrator.Agent.Dns;

/// <summary>
/// SOA (RFC 1035 §3.3.13). Both names are compressible. <see cref="Minimum"/> is the negative-caching TTL (RFC 2308),
/// which is why NXDOMAIN/NODATA answers carry an SOA in the authority section.
/// </summary>
public sealed record SoaRecordData(
    DnsName PrimaryServer,
    DnsName ResponsibleMailbox,
    uint Serial,
    uint Refresh,
    uint Retry,
    uint Expire,
    uint Minimum) : DnsRecordData
{
    public override DnsType Type => DnsType.SOA;

    public override string ToString() =>
        $"{PrimaryServer} {ResponsibleMailbox} {Serial} {Refresh} {Retry} {Expire} {Minimum}";
}
