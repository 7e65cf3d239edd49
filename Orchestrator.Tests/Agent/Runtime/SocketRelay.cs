using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Tests.Agent.Runtime;

/// <summary>
/// Forwards every connection accepted on a local endpoint (loopback TCP or a unix socket) to the real dockerd's
/// socket, passing half-closes through both ways. It lets the tests reach the real daemon over <c>tcp://</c>, and
/// make the daemon's socket appear late (as when dockerd is starting).
/// </summary>
public sealed class SocketRelay : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public SocketRelay(EndPoint listenOn, string targetUnixSocket)
    {
        _target = targetUnixSocket;
        _listener = listenOn is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(listenOn);
        _listener.Listen(16);
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    public EndPoint LocalEndPoint => _listener.LocalEndPoint!;

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = RelayAsync(client, cancellationToken);
        }
    }

    private async Task RelayAsync(Socket client, CancellationToken cancellationToken)
    {
        using (client)
        using (var daemon = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                await daemon.ConnectAsync(new UnixDomainSocketEndPoint(_target), cancellationToken);
                await Task.WhenAll(PumpAsync(client, daemon, cancellationToken), PumpAsync(daemon, client, cancellationToken));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // One side went away: closing both (the usings) is all there is to do.
            }
        }
    }

    /// <summary>Copies until EOF, then half-closes the other side so the EOF travels on (stdin EOF for exec).</summary>
    private static async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var n = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }
            await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        _stop.Dispose();
    }
}
