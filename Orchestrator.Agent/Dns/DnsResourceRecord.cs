namespace Orchestrator.Agent.Dns;

/// <summary>
/// One resource record (RFC 1035 §4.1.3). The TYPE comes from <see cref="Data"/>, so a record can never claim one type
/// and carry another's data. OPT is not a record here: it lives in <see cref="DnsMessage.Edns"/>.
/// </summary>
public sealed record DnsResourceRecord(DnsName Name, DnsClass Class, uint Ttl, DnsRecordData Data)
{
    public DnsResourceRecord(DnsName name, uint ttl, DnsRecordData data) : this(name, DnsClass.IN, ttl, data)
    {
    }

    public DnsType Type => Data.Type;

    public override string ToString() => $"{Name}\t{Ttl}\t{DnsText.Class(Class)}\t{DnsText.Type(Type)}\t{Data}";
}
