namespace Orchestrator.Agent.Dns;

/// <summary>Presentation-format helpers shared by the ToString methods (RFC 1035 §5.1, RFC 3597 §5).</summary>
public static class DnsText
{
    public static string Type(DnsType type) =>
        Enum.IsDefined(type) ? type.ToString() : $"TYPE{(ushort)type}";

    public static string Class(DnsClass @class) =>
        Enum.IsDefined(@class) ? @class.ToString() : $"CLASS{(ushort)@class}";

    /// <summary>A character-string in quotes, with quote, backslash and non-printable bytes escaped.</summary>
    public static string QuotedString(ReadOnlySpan<byte> bytes)
    {
        var sb = new System.Text.StringBuilder(bytes.Length + 2).Append('"');
        foreach (var b in bytes)
        {
            if (b is (byte)'"' or (byte)'\\') sb.Append('\\').Append((char)b);
            else if (b is < 0x20 or > 0x7E) sb.Append('\\').Append(b.ToString("D3"));
            else sb.Append((char)b);
        }

        return sb.Append('"').ToString();
    }
}
