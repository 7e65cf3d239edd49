using System.Buffers;
using System.Buffers.Binary;

namespace Orchestrator.Agent.Dns;

/// <summary>
/// DNS over TCP prefixes each message with its length as a 16-bit big-endian integer (RFC 1035 §4.2.2, RFC 7766 §8).
/// Kept apart from the codec so UDP and TCP share one reader and writer.
/// </summary>
public static class DnsTcpFraming
{
    public const int PrefixLength = 2;

    /// <summary>The message with its length prefix, ready to send.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> message)
    {
        if (message.Length > ushort.MaxValue) throw new ArgumentException("message longer than 65535 octets", nameof(message));
        var framed = new byte[PrefixLength + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed.AsSpan(PrefixLength));
        return framed;
    }

    /// <summary>
    /// For pipe readers: when <paramref name="buffer"/> holds a whole frame, returns its message and the position after
    /// it; otherwise false (read more and try again).
    /// </summary>
    public static bool TryReadFrame(ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> message, out SequencePosition consumed)
    {
        message = default;
        consumed = buffer.Start;
        if (buffer.Length < PrefixLength) return false;
        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (buffer.Length < PrefixLength + length) return false;
        message = buffer.Slice(PrefixLength, length);
        consumed = message.End;
        return true;
    }

    /// <summary>
    /// Reads one frame from a stream. Returns null on a clean end of stream between frames; throws
    /// <see cref="EndOfStreamException"/> when the peer closes in the middle of one.
    /// </summary>
    public static async Task<byte[]?> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var prefix = new byte[PrefixLength];
        var got = await stream.ReadAtLeastAsync(prefix, PrefixLength, throwOnEndOfStream: false, cancellationToken);
        if (got == 0) return null;
        if (got < PrefixLength) throw new EndOfStreamException("connection closed inside a DNS length prefix");
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(message, cancellationToken);
        return message;
    }

    /// <summary>Writes one framed message in a single write, so the prefix and message leave in one segment.</summary>
    public static async Task WriteFrameAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Frame(message.Span), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }
}
