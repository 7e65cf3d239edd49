using System.Buffers.Binary;

namespace Orchestrator.Agent.Streaming.Spdy;

/// <summary>
/// Reads SPDY/3 frames from a byte stream: an 8-byte header (control bit, version 3 and type — or a stream id —,
/// flags, a 24-bit length), then the payload.
/// </summary>
public sealed class SpdyFrameReader(Stream transport)
{
    /// <summary>Largest payload accepted; SPDY allows 16 MiB, peers here send far less.</summary>
    public const int MaxPayload = 1 << 24;

    /// <summary>The next frame, or null when the stream ended cleanly between frames.</summary>
    public async Task<SpdyFrame?> ReadAsync(CancellationToken ct)
    {
        var header = new byte[8];
        var got = await transport.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, ct);
        if (got == 0) return null;
        if (got < header.Length) throw new InvalidDataException("SPDY stream ended inside a frame header");
        var first = BinaryPrimitives.ReadUInt32BigEndian(header);
        var flags = header[4];
        var length = (header[5] << 16) | (header[6] << 8) | header[7];
        var payload = new byte[length];
        await transport.ReadExactlyAsync(payload, ct);
        if ((first & 0x8000_0000) == 0) return new SpdyFrame(false, 0, flags, first & 0x7fff_ffff, payload);
        var version = (first >> 16) & 0x7fff;
        if (version != 3) throw new InvalidDataException($"SPDY version {version} is not supported (only 3)");
        return new SpdyFrame(true, (ushort)(first & 0xffff), flags, 0, payload);
    }
}
