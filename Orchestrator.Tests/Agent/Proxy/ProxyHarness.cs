using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Proxy;
using Orchestrator.Agent.Services;

using Orchestrator.Tests.Agent.Services;

namespace Orchestrator.Tests.Agent.Proxy;

/// <summary>
/// A real <see cref="ServiceProxy"/> on loopback, fed by a <see cref="FakeServiceView"/>: the node's address is a
/// random 127.x address (node ports and LB IPs are bound there), cluster IPs are other random 127.x addresses.
/// </summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();

    public ProxyHarness(Action<ServiceProxyOptions>? configure = null, IPortConflictReporter? reporter = null)
    {
        NodeAddress = LoopbackAddress.Random();
        Options = new ServiceProxyOptions { NodeAddresses = [NodeAddress.ToString()], BindRetry = TimeSpan.FromMilliseconds(200) };
        configure?.Invoke(Options);
        Reporter = reporter ?? new RecordingConflictReporter();
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Proxy = new ServiceProxy(View, new Orchestrator.Agent.Proxy.Udp.UdpServiceProxy(options, Microsoft.Extensions.Options.Options.Create(new Orchestrator.Agent.Proxy.Udp.UdpForwarderOptions()), TimeProvider.System, NullLoggerFactory.Instance), Reporter,
            new NetworkProgrammingLatency(TimeProvider.System), TimeProvider.System, NullLoggerFactory.Instance, options);
        Proxy.StartAsync(_cts.Token).GetAwaiter().GetResult();
    }

    public IPAddress NodeAddress { get; }

    public ServiceProxyOptions Options { get; }

    public FakeServiceView View { get; } = new();

    public ServiceSnapshots Snapshots { get; } = new();

    public IPortConflictReporter Reporter { get; }

    public ServiceProxy Proxy { get; }

    /// <summary>Publishes the builder's current state and waits until the proxy has applied it.</summary>
    public async Task PublishAsync()
    {
        var snapshot = Snapshots.Build();
        View.Publish(snapshot);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Proxy.AppliedVersion < snapshot.Version)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"snapshot {snapshot.Version} not applied");
            await Task.Delay(5);
        }
    }

    /// <summary>Connects, reads the backend's greeting line (its name).</summary>
    public static async Task<(Socket Socket, string Name)> ConnectAsync(IPEndPoint target, IPAddress? from = null)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from != null) s.Bind(new IPEndPoint(from, 0));
        await s.ConnectAsync(target).WaitAsync(TimeSpan.FromSeconds(10));
        return (s, await ReadLineAsync(s));
    }

    public static async Task<string> GreetingAsync(IPEndPoint target, IPAddress? from = null)
    {
        var (s, name) = await ConnectAsync(target, from);
        s.Dispose();
        return name;
    }

    public static async Task<string> ReadLineAsync(Socket s)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            var n = await s.ReceiveAsync(one.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (n == 0 || one[0] == '\n') return line.ToString();
            line.Append((char)one[0]);
        }
    }

    /// <summary>Reads until EOF or reset: the bytes read and whether the connection was reset.</summary>
    public static async Task<(byte[] Data, bool Reset)> ReadToEndAsync(Socket s)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await s.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                if (n == 0) return (all.ToArray(), false);
                all.Write(buffer, 0, n);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return (all.ToArray(), true);
        }
    }

    /// <summary>
    /// Connects and reads: true when the proxy reset the connection (during the handshake — on loopback the RST can
    /// beat the connect's completion — or on the first read), false when it closed it with FIN. Never data.
    /// </summary>
    public static async Task<bool> IsResetAsync(IPEndPoint target, IPAddress? from = null)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from != null) s.Bind(new IPEndPoint(from, 0));
        try
        {
            await s.ConnectAsync(target).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        var (data, reset) = await ReadToEndAsync(s);
        Assert.Empty(data);
        return reset;
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.StopAsync(CancellationToken.None);
        await _cts.CancelAsync();
        Proxy.Dispose();
    }
}
