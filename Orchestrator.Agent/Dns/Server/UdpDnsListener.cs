using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Agent.Dns.Server;

/// <summary>
/// DNS over UDP: several receive loops on one socket (the kernel hands each datagram to one waiting receive), each
/// with its own buffers and <see cref="SocketAddress"/>, so a cached answer costs a receive, a copy and a send and no
/// allocation. The loops are either dedicated threads blocked in recvfrom (woken every 500 ms to notice a stop) or
/// async loops (<see cref="ClusterDnsOptions.UdpBlockingReceive"/>); a socket is used one way only, since .NET turns a
/// socket non-blocking for good after its first async operation. Forwarded queries are answered from a separate task
/// so a slow upstream never stalls a loop.
/// </summary>
internal sealed class UdpDnsListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ClusterDnsResponder _responder;
    private readonly int _responseCapacity;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private long _lastWarning;

    private readonly bool _blocking;

    private UdpDnsListener(Socket socket, ClusterDnsResponder responder, int loops, int maxUdpSize, bool blocking, ILogger log)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _responder = responder;
        _responseCapacity = Math.Clamp(maxUdpSize, DnsMessageWriter.ClassicUdpSize, DnsMessageWriter.MaxMessageSize);
        _blocking = blocking;
        _log = log;
        _loops = new Task[loops];
        for (var i = 0; i < loops; i++)
        {
            if (!blocking)
            {
                _loops[i] = Task.Run(() => ReceiveLoopAsync(_stop.Token));
                continue;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    ReceiveLoopBlocking(_stop.Token);
                }
                finally
                {
                    done.TrySetResult();
                }
            }) { IsBackground = true, Name = $"dns-udp-{i}" };
            thread.Start();
            _loops[i] = done.Task;
        }
    }

    /// <summary>The bound endpoint, captured at start: readable while (and after) the listener is disposed.</summary>
    public IPEndPoint LocalEndPoint { get; }

    public static UdpDnsListener Start(IPEndPoint endpoint, ClusterDnsResponder responder, ClusterDnsOptions options, ILogger log)
    {
        var socket = DnsSockets.Bind(endpoint, SocketType.Dgram, options.UdpReceiveBufferBytes);
        if (options.UdpBlockingReceive) socket.ReceiveTimeout = 500;
        var loops = options.UdpReceiveLoops > 0 ? options.UdpReceiveLoops : Math.Max(2, Environment.ProcessorCount);
        return new UdpDnsListener(socket, responder, loops, options.MaxUdpSize, options.UdpBlockingReceive, log);
    }

    private void ReceiveLoopBlocking(CancellationToken ct)
    {
        var buffer = new byte[DnsMessageWriter.MaxMessageSize];
        var response = new byte[_responseCapacity];
        var peer = new SocketAddress(_socket.AddressFamily);
        while (!ct.IsCancellationRequested)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, peer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue; // the periodic wake-up that lets a stop be noticed
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                Warn("receive failed: {Error}", e.SocketErrorCode);
                continue;
            }

            try
            {
                var handling = _responder.Handle(buffer.AsSpan(0, received), response, tcp: false, out var written, out var forward);
                if (handling == DnsHandling.Reply)
                {
                    _socket.SendTo(response.AsSpan(0, written), SocketFlags.None, peer);
                }
                else if (handling == DnsHandling.Forward)
                {
                    var client = new SocketAddress(peer.Family, peer.Size);
                    peer.Buffer.Span[..peer.Size].CopyTo(client.Buffer.Span);
                    _ = ForwardAsync(forward!, client, ct);
                }
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not ObjectDisposedException)
            {
                Warn("query failed: {Error}", e.Message);
            }
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(DnsMessageWriter.MaxMessageSize, pinned: true);
        var response = GC.AllocateUninitializedArray<byte>(_responseCapacity, pinned: true);
        var peer = new SocketAddress(_socket.AddressFamily);
        while (!ct.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, peer, ct);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // ICMP errors of earlier sends surface here on some stacks; they concern one client, not the socket.
                Warn("receive failed: {Error}", e.SocketErrorCode);
                continue;
            }

            try
            {
                var handling = _responder.Handle(buffer.AsSpan(0, received), response, tcp: false, out var written, out var forward);
                if (handling == DnsHandling.Reply)
                {
                    await _socket.SendToAsync(response.AsMemory(0, written), SocketFlags.None, peer, ct);
                }
                else if (handling == DnsHandling.Forward)
                {
                    var client = new SocketAddress(peer.Family, peer.Size);
                    peer.Buffer.Span[..peer.Size].CopyTo(client.Buffer.Span);
                    _ = ForwardAsync(forward!, client, ct);
                }
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not ObjectDisposedException)
            {
                // One bad packet or one failed send must never end the loop.
                Warn("query failed: {Error}", e.Message);
            }
        }
    }

    private async Task ForwardAsync(DnsMessage query, SocketAddress client, CancellationToken ct)
    {
        try
        {
            var answer = await _responder.ForwardAsync(query, tcp: false, ct);
            if (_blocking) _socket.SendTo(answer, SocketFlags.None, client); // a datagram send does not wait
            else await _socket.SendToAsync(answer, SocketFlags.None, client, ct);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException or ArgumentException)
        {
            Warn("forwarded answer failed: {Error}", e.Message);
        }
    }

    /// <summary>At most one warning every 10 s: a flood of bad packets must not become a flood of log lines.</summary>
    private void Warn(string message, object error)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarning);
        if (now - last < 10_000 || Interlocked.CompareExchange(ref _lastWarning, now, last) != last) return;
#pragma warning disable CA2254 // the template is one of the constant strings above
        _log.LogWarning("ClusterDns UDP: " + message, error);
#pragma warning restore CA2254
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
        }

    }
}
