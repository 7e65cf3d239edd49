namespace Orchestrator.Agent.Dns;

/// <summary>
/// The fixed 12-byte header exactly as on the wire (RFC 1035 §4.1.1), before any interpretation: the rcode is only the
/// header's low 4 bits and the counts are whatever the sender claimed. Readable from any message of at least 12 bytes,
/// which is what lets the responder answer FORMERR with the right id.
/// </summary>
public readonly record struct DnsHeader(
    ushort Id,
    bool IsResponse,
    DnsOpcode Opcode,
    bool IsAuthoritative,
    bool IsTruncated,
    bool RecursionDesired,
    bool RecursionAvailable,
    bool AuthenticData,
    bool CheckingDisabled,
    byte ResponseCodeLow,
    ushort QuestionCount,
    ushort AnswerCount,
    ushort AuthorityCount,
    ushort AdditionalCount)
{
    public const int Size = 12;

    /// <summary>Reads the header from the first 12 bytes; false when fewer are present.</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out DnsHeader header)
    {
        if (message.Length < Size)
        {
            header = default;
            return false;
        }

        byte f1 = message[2], f2 = message[3];
        header = new DnsHeader(
            Id: (ushort)(message[0] << 8 | message[1]),
            IsResponse: (f1 & 0x80) != 0,
            Opcode: (DnsOpcode)((f1 >> 3) & 0x0F),
            IsAuthoritative: (f1 & 0x04) != 0,
            IsTruncated: (f1 & 0x02) != 0,
            RecursionDesired: (f1 & 0x01) != 0,
            RecursionAvailable: (f2 & 0x80) != 0,
            AuthenticData: (f2 & 0x20) != 0,
            CheckingDisabled: (f2 & 0x10) != 0,
            ResponseCodeLow: (byte)(f2 & 0x0F),
            QuestionCount: (ushort)(message[4] << 8 | message[5]),
            AnswerCount: (ushort)(message[6] << 8 | message[7]),
            AuthorityCount: (ushort)(message[8] << 8 | message[9]),
            AdditionalCount: (ushort)(message[10] << 8 | message[11]));
        return true;
    }
}
