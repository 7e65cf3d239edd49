namespace Orchestrator.Agent.Dns;

/// <summary>
/// The full 12-bit RCODE: the low 4 bits travel in the header, the high 8 bits in the OPT record's TTL field
/// (RFC 6891 §6.1.3). Values above 15 therefore need EDNS on the message.
/// </summary>
public enum DnsResponseCode : ushort
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NXDomain = 3,
    NotImp = 4,
    Refused = 5,
    BadVers = 16,
}
