namespace Orchestrator.Agent.Dns;

/// <summary>
/// RR TYPE / QTYPE codes (RFC 1035 §3.2.2-3, RFC 3596, RFC 2782, RFC 6891). The enum is open: any 16-bit value is a
/// valid type on the wire, and types we do not model are carried as <see cref="UnknownRecordData"/> (RFC 3597).
/// </summary>
public enum DnsType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    OPT = 41,
    AXFR = 252,
    ANY = 255,
}
