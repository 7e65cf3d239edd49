namespace Orchestrator.Agent.Dns;

/// <summary>One EDNS0 option as raw code and octets (RFC 6891 §6.1.2); we interpret none of them.</summary>
public sealed record EdnsOption(ushort Code, byte[] Data)
{
    public bool Equals(EdnsOption? other) => other is not null && other.Code == Code && other.Data.AsSpan().SequenceEqual(Data);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Code);
        hash.AddBytes(Data);
        return hash.ToHashCode();
    }

    public override string ToString() => $"OPT{Code}:{Convert.ToHexString(Data)}";
}
