using System.Text;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Tests.Agent.Runtime;

public sealed class OutputStreamReaderTests
{
    private static byte[] Frame(byte stream, string text)
    {
        var data = Encoding.UTF8.GetBytes(text);
        var header = new byte[] { stream, 0, 0, 0, 0, 0, 0, 0 };
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)data.Length);
        return [.. header, .. data];
    }

    private static async Task<List<OutputFrame>> ReadAllAsync(Stream stream, bool multiplexed)
    {
        var frames = new List<OutputFrame>();
        await foreach (var f in OutputStreamReader.ReadAsync(stream, multiplexed, CancellationToken.None))
            frames.Add(f);
        return frames;
    }

    [Fact]
    public async Task Multiplexed_SplitsFramesByStream_EvenWhenReadsArriveByteByByte()
    {
        byte[] bytes = [.. Frame(1, "out1\n"), .. Frame(2, "err\n"), .. Frame(1, ""), .. Frame(1, "out2")];

        var frames = await ReadAllAsync(new TrickleStream(bytes), multiplexed: true);

        Assert.Equal(
            [(StdStream.Stdout, "out1\n"), (StdStream.Stderr, "err\n"), (StdStream.Stdout, ""), (StdStream.Stdout, "out2")],
            frames.Select(f => (f.Stream, Encoding.UTF8.GetString(f.Data))));
    }

    [Fact]
    public async Task Multiplexed_TruncatedHeader_Throws()
    {
        await Assert.ThrowsAsync<IOException>(() => ReadAllAsync(new MemoryStream([1, 0, 0]), multiplexed: true));
    }

    [Fact]
    public async Task Multiplexed_UnknownStreamId_Throws()
    {
        await Assert.ThrowsAsync<IOException>(() => ReadAllAsync(new MemoryStream(Frame(7, "x")), multiplexed: true));
    }

    [Fact]
    public async Task Raw_IsAllStdout()
    {
        var frames = await ReadAllAsync(new MemoryStream("\u0001raw tty\r\n"u8.ToArray()), multiplexed: false);

        Assert.All(frames, f => Assert.Equal(StdStream.Stdout, f.Stream));
        Assert.Equal("\u0001raw tty\r\n", Encoding.UTF8.GetString(frames.SelectMany(f => f.Data).ToArray()));
    }

    /// <summary>Hands out one byte per read, like a slow socket.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
