using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Tests.Agent.Proxy;

/// <summary>
/// A small TCP server on a random loopback address: by default every connection is greeted with
/// <c>&lt;name&gt;\n</c> and then gets back what it sends, and FIN after the client's FIN. A custom handler replaces that.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _cts = new();
    private readonly Func<Socket, Task> _handler;
    private readonly Task _accept;
    private readonly ConcurrentBag<Socket> _accepted = [];

    public TestBackend(string name, Func<Socket, Task>? handler = null)
    {
        Name = name;
        _handler = handler ?? GreetAndEchoAsync;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(LoopbackAddress.Random(), 0));
        _listener.Listen(512);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _accept = Task.Run(AcceptLoopAsync);
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    public int Accepted => _accepted.Count;

    private async Task AcceptLoopAsync()
    {
        while (!_cts.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await _listener.AcceptAsync(_cts.Token);
            }
            catch (Exception)
            {
                return;
            }
            _accepted.Add(s);
            _ = Task.Run(async () =>
            {
                try
                {
                    await _handler(s);
                }
                catch (Exception)
                {
                }
                finally
                {
                    s.Dispose();
                }
            });
        }
    }

    private async Task GreetAndEchoAsync(Socket s)
    {
        await s.SendAsync(Encoding.ASCII.GetBytes(Name + "\n"));
        var buffer = new byte[4096];
        while (true)
        {
            var n = await s.ReceiveAsync(buffer);
            if (n == 0) break;
            await s.SendAsync(buffer.AsMemory(0, n));
        }
        s.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _listener.Dispose();
        foreach (var s in _accepted) s.Dispose();
        await _accept;
    }
}
