using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Orchestrator.Agent.Streaming.Spdy;

/// <summary>
/// SPDY/3 name/value header blocks: a 32-bit pair count, then per pair a 32-bit length and the name, a 32-bit
/// length and the value (several values joined by NUL). Blocks are compressed with one zlib stream per direction of a
/// connection, sync-flushed after each block. Reading needs <see cref="SpdyHeaderDictionary"/>
/// (<see cref="InflateWithDictionary"/>); writing does not: our blocks simply never refer back into the dictionary,
/// which every zlib reader accepts (the header then says "no dictionary").
/// </summary>
public sealed class SpdyHeaderBlock : IDisposable
{
    private const int MaxPairs = 1024;
    private readonly InflateWithDictionary _inflater = new(SpdyHeaderDictionary.Bytes.Span);
    private readonly MemoryStream _compressed = new();
    private readonly ZLibStream _deflater;

    public SpdyHeaderBlock()
    {
        _deflater = new ZLibStream(_compressed, CompressionLevel.Fastest, leaveOpen: true);
    }

    /// <summary>The headers of a received block; names are lower case in SPDY.</summary>
    public Dictionary<string, string> Read(ReadOnlySpan<byte> compressed)
    {
        var block = _inflater.Inflate(compressed).AsSpan();
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var count = ReadLength(ref block);
        if (count > MaxPairs) throw new InvalidDataException($"header block with {count} pairs");
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(ref block);
            var value = ReadString(ref block);
            headers[name] = value;
        }
        return headers;
    }

    /// <summary>Compresses a block to send (the next part of this direction's zlib stream).</summary>
    public byte[] Write(IReadOnlyDictionary<string, string> headers)
    {
        var raw = new List<byte>();
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, headers.Count);
        raw.AddRange(length.ToArray());
        foreach (var (name, value) in headers)
            foreach (var text in new[] { name, value })
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
                raw.AddRange(length.ToArray());
                raw.AddRange(bytes);
            }
        _compressed.SetLength(0);
        _deflater.Write(raw.ToArray());
        // Flush is a zlib sync flush: the block ends on a byte boundary and the peer can decode it at once.
        _deflater.Flush();
        return _compressed.ToArray();
    }

    private static int ReadLength(ref Span<byte> block)
    {
        if (block.Length < 4) throw new InvalidDataException("header block truncated");
        var value = BinaryPrimitives.ReadInt32BigEndian(block);
        block = block[4..];
        if (value < 0) throw new InvalidDataException("negative length in header block");
        return value;
    }

    private static string ReadString(ref Span<byte> block)
    {
        var length = ReadLength(ref block);
        if (block.Length < length) throw new InvalidDataException("header block truncated");
        var text = Encoding.UTF8.GetString(block[..length]);
        block = block[length..];
        return text;
    }

    public void Dispose()
    {
        _deflater.Dispose();
        _compressed.Dispose();
    }
}
