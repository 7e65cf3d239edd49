namespace Orchestrator.Agent.Dns;

/// <summary>
/// RDATA of a type we do not model, kept as opaque octets and written back verbatim (RFC 3597 §2). Names inside it are
/// never decompressed or compressed, which is exactly why RFC 3597 forbids compression in new types.
/// </summary>
public sealed record UnknownRecordData : DnsRecordData
{
    private readonly DnsType _type;

    public UnknownRecordData(DnsType type, byte[] data)
    {
        if (type == DnsType.OPT) throw new ArgumentException("OPT belongs in DnsMessage.Edns", nameof(type));
        _type = type;
        Data = (byte[])data.Clone();
    }

    public byte[] Data { get; }

    public override DnsType Type => _type;

    public bool Equals(UnknownRecordData? other) => other is not null && other._type == _type && other.Data.AsSpan().SequenceEqual(Data);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_type);
        hash.AddBytes(Data);
        return hash.ToHashCode();
    }

    /// <summary>The RFC 3597 §5 generic form: <c>\# length hex</c>.</summary>
    public override string ToString() => Data.Length == 0 ? @"\# 0" : $@"\# {Data.Length} {Convert.ToHexString(Data)}";
}
