using System.Net.Sockets;

namespace Orchestrator.Agent.Runtime;

/// <summary>
/// The duplex connection of a hijacked call (exec start, attach): after the 101 (or 200) answer the socket carries
/// stdin one way and the container's output the other. We keep the <see cref="Socket"/> because stdin EOF is a TCP
/// half-close (<see cref="CloseStdinAsync"/>), which HttpClient's response stream cannot do.
/// </summary>
public sealed class HijackedStream : Stream
{
    private readonly Socket _socket;
    private readonly NetworkStream _network;
    // Bytes read past the end of the HTTP response head belong to the stream; served first.
    private ReadOnlyMemory<byte> _leftover;
    private int _stdinClosed;

    internal HijackedStream(Socket socket, ReadOnlyMemory<byte> leftover, bool multiplexed)
    {
        _socket = socket;
        _network = new NetworkStream(socket, ownsSocket: true);
        _leftover = leftover;
        Multiplexed = multiplexed;
    }

    /// <summary>True when output is framed (no Tty); see <see cref="OutputStreamReader"/>.</summary>
    public bool Multiplexed { get; }

    /// <summary>The container's output as (stream, bytes) frames until the daemon closes its side.</summary>
    public IAsyncEnumerable<OutputFrame> ReadOutputAsync(CancellationToken cancellationToken) =>
        OutputStreamReader.ReadAsync(this, Multiplexed, cancellationToken);

    /// <summary>Sends EOF on the process's stdin (TCP half-close); output can still be read afterwards.</summary>
    public Task CloseStdinAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _stdinClosed, 1) == 0)
            _socket.Shutdown(SocketShutdown.Send);
        return Task.CompletedTask;
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (TakeLeftover(buffer) is var n and > 0)
            return n;
        return _network.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TakeLeftover(buffer.Span) is var n and > 0)
            return ValueTask.FromResult(n);
        return _network.ReadAsync(buffer, cancellationToken);
    }

    private int TakeLeftover(Span<byte> destination)
    {
        if (_leftover.IsEmpty || destination.IsEmpty)
            return 0;
        var n = Math.Min(destination.Length, _leftover.Length);
        _leftover.Span[..n].CopyTo(destination);
        _leftover = _leftover[n..];
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => _network.Write(buffer, offset, count);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _network.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _network.WriteAsync(buffer, cancellationToken);

    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _network.Dispose();
        base.Dispose(disposing);
    }
}
