using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Orchestrator.Agent.Runtime;

/// <summary>
/// Reads container output from logs, attach and exec. Without a Tty Docker multiplexes stdout and stderr into frames
/// behind an 8-byte header: <c>[stream, 0, 0, 0, size (uint32 big-endian)]</c> then <c>size</c> bytes. With a Tty the
/// stream is raw terminal output, reported as stdout.
/// </summary>
public static class OutputStreamReader
{
    private const int RawChunk = 16 * 1024;

    public static async IAsyncEnumerable<OutputFrame> ReadAsync(
        Stream stream, bool multiplexed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!multiplexed)
        {
            var buffer = new byte[RawChunk];
            while (true)
            {
                var n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                    yield break;
                yield return new OutputFrame(StdStream.Stdout, buffer.AsSpan(0, n).ToArray());
            }
        }

        var header = new byte[8];
        while (true)
        {
            var got = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            if (got == 0)
                yield break;
            if (got < header.Length)
                throw new IOException($"Docker output stream ended inside a frame header ({got} of 8 bytes).");
            var kind = header[0];
            if (kind > (byte)StdStream.Stderr)
                throw new IOException($"Docker output stream: unknown stream id {kind} in frame header; is the container a Tty?");
            var size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            var data = new byte[size];
            await stream.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
            yield return new OutputFrame((StdStream)kind, data);
        }
    }
}
