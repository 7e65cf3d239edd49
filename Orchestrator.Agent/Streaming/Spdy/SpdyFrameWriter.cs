using System.Buffers.Binary;

namespace Orchestrator.Agent.Streaming.Spdy;

/// <summary>
/// Writes SPDY/3 frames, one at a time (several streams share the connection). Header blocks go through this
/// direction's compression context in <see cref="SpdyHeaderBlock"/>, so they are written in the order compressed.
/// </summary>
public sealed class SpdyFrameWriter(Stream transport, SpdyHeaderBlock headers) : IDisposable
{
    /// <summary>Largest DATA payload we send in one frame.</summary>
    public const int MaxDataPayload = 32 * 1024;
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task SynReplyAsync(uint streamId, CancellationToken ct) =>
        WriteAsync(ct, () =>
        {
            var block = headers.Write(NoHeaders);
            var payload = new byte[4 + block.Length];
            BinaryPrimitives.WriteUInt32BigEndian(payload, streamId & 0x7fff_ffff);
            block.CopyTo(payload, 4);
            return Control(SpdyFrameType.SynReply, 0, payload);
        });

    public Task RstStreamAsync(uint streamId, uint status, CancellationToken ct) =>
        WriteAsync(ct, () =>
        {
            var payload = new byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(payload, streamId & 0x7fff_ffff);
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), status);
            return Control(SpdyFrameType.RstStream, 0, payload);
        });

    /// <summary>Answers a PING with the same id.</summary>
    public Task PingAsync(uint id, CancellationToken ct) =>
        WriteAsync(ct, () =>
        {
            var payload = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(payload, id);
            return Control(SpdyFrameType.Ping, 0, payload);
        });

    public Task GoAwayAsync(uint lastGoodStreamId, CancellationToken ct) =>
        WriteAsync(ct, () =>
        {
            var payload = new byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(payload, lastGoodStreamId & 0x7fff_ffff);
            return Control(SpdyFrameType.GoAway, 0, payload);
        });

    /// <summary>DATA frames of at most <see cref="MaxDataPayload"/> bytes; with <paramref name="fin"/> the last one closes our side.</summary>
    public async Task DataAsync(uint streamId, ReadOnlyMemory<byte> data, bool fin, CancellationToken ct)
    {
        do
        {
            var chunk = data[..Math.Min(MaxDataPayload, data.Length)];
            data = data[chunk.Length..];
            var last = data.IsEmpty;
            await WriteAsync(ct, () =>
            {
                var frame = new byte[8 + chunk.Length];
                BinaryPrimitives.WriteUInt32BigEndian(frame, streamId & 0x7fff_ffff);
                frame[4] = fin && last ? SpdyFrame.FlagFin : (byte)0;
                WriteLength(frame, chunk.Length);
                chunk.CopyTo(frame.AsMemory(8));
                return frame;
            });
        }
        while (!data.IsEmpty);
    }

    private async Task WriteAsync(CancellationToken ct, Func<byte[]> frame)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await transport.WriteAsync(frame(), ct);
            await transport.FlushAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static byte[] Control(ushort type, byte flags, byte[] payload)
    {
        var frame = new byte[8 + payload.Length];
        frame[0] = 0x80;
        frame[1] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), type);
        frame[4] = flags;
        WriteLength(frame, payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    private static void WriteLength(byte[] frame, int length)
    {
        frame[5] = (byte)(length >> 16);
        frame[6] = (byte)(length >> 8);
        frame[7] = (byte)length;
    }

    public void Dispose() => _gate.Dispose();
}
