namespace Orchestrator.Agent.Dns;

/// <summary>
/// The only exception <see cref="DnsMessageReader"/> throws for bad input. The responder answers FORMERR for it; to do
/// so it needs the query's id and opcode, which <see cref="Header"/> carries whenever the 12 header bytes were present.
/// </summary>
public sealed class DnsFormatException : FormatException
{
    public DnsFormatException(string message, DnsHeader? header = null) : base(message) => Header = header;

    /// <summary>The raw header of the offending message, or null when it was shorter than 12 bytes.</summary>
    public DnsHeader? Header { get; }
}
