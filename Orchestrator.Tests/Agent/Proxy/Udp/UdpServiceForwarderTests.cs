using System.Net;
using System.Net.Sockets;
using Orchestrator.Agent.Proxy.Udp;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Proxy.Udp;

/// <summary>
/// Real sockets on a loopback address of this test's own (127.x.y.z picked at random), port 0 everywhere, so tests
/// running in parallel (and other helpers' tests) never share an endpoint.
/// </summary>
public sealed class UdpServiceForwarderTests : IAsyncLifetime
{
    private readonly IPAddress _address = new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<IDisposable> _clients = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var c in _clients) c.Dispose();
        foreach (var o in _owned) await o.DisposeAsync();
    }

    private UdpEchoBackend Backend(byte id)
    {
        var b = new UdpEchoBackend(_address, id);
        _owned.Add(b);
        return b;
    }

    private UdpTestClient Client()
    {
        var c = new UdpTestClient(_address);
        _clients.Add(c);
        return c;
    }

    private async Task<UdpServiceForwarder> StartForwarder(Func<IPEndPoint, IPEndPoint?> choose, UdpForwarderOptions? options = null, TimeProvider? time = null)
    {
        var f = new UdpServiceForwarder(new IPEndPoint(_address, 0), choose, options, time);
        _owned.Add(f);
        await f.StartAsync(CancellationToken.None);
        return f;
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Datagram_RoundTrips_ReplyComesFromTheListenAddress()
    {
        var backend = Backend(1);
        var forwarder = await StartForwarder(_ => backend.EndPoint);
        var client = Client();

        var (data, from) = await client.RequestAsync(forwarder.ListenEndPoint, "ping"u8.ToArray());

        Assert.Equal([1, .. "ping"u8], data);
        Assert.Equal(forwarder.ListenEndPoint, from);
        Assert.Equal(1, forwarder.FlowCount);
        Assert.Equal(1, forwarder.Counters.FlowsCreated);
        Assert.Equal(1, forwarder.Counters.DatagramsFromClients);
        Assert.Equal(4, forwarder.Counters.BytesFromClients);
        Assert.Equal(1, forwarder.Counters.DatagramsToClients);
        Assert.Equal(5, forwarder.Counters.BytesToClients);
    }

    [Fact]
    public async Task TwoClients_GetTheirOwnFlows_AndRepeatedDatagramsReuseThem()
    {
        var backend = Backend(1);
        var forwarder = await StartForwarder(_ => backend.EndPoint);
        var a = Client();
        var b = Client();

        var (ra, _) = await a.RequestAsync(forwarder.ListenEndPoint, "a1"u8.ToArray());
        var (rb, _) = await b.RequestAsync(forwarder.ListenEndPoint, "b1"u8.ToArray());
        var (ra2, _) = await a.RequestAsync(forwarder.ListenEndPoint, "a2"u8.ToArray());

        Assert.Equal([1, .. "a1"u8], ra);
        Assert.Equal([1, .. "b1"u8], rb);
        Assert.Equal([1, .. "a2"u8], ra2);
        Assert.Equal(2, forwarder.FlowCount);
        var sources = backend.Sources.ToArray();
        Assert.Equal(3, sources.Length);
        Assert.NotEqual(sources[0], sources[1]); // a and b: two outbound sockets
        Assert.Equal(sources[0], sources[2]);    // a again: the same one
    }

    [Fact]
    public async Task IdleFlow_ExpiresAfterTheIdleTimeout_AndTheNextDatagramStartsANewFlow()
    {
        var clock = new ManualTimeProvider();
        var backend = Backend(1);
        var forwarder = await StartForwarder(_ => backend.EndPoint, new UdpForwarderOptions { IdleTimeout = TimeSpan.FromSeconds(30) }, clock);
        var client = Client();
        await client.RequestAsync(forwarder.ListenEndPoint, "x"u8.ToArray());

        clock.Advance(TimeSpan.FromSeconds(29)); // the sweep runs (every 5 s of the clock) but the flow is not idle long enough
        Assert.Equal(1, forwarder.FlowCount);
        Assert.Equal(0, forwarder.Counters.FlowsExpired);

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, forwarder.FlowCount);
        Assert.Equal(1, forwarder.Counters.FlowsExpired);

        await client.RequestAsync(forwarder.ListenEndPoint, "y"u8.ToArray());
        Assert.Equal(2, forwarder.Counters.FlowsCreated);
        var sources = backend.Sources.ToArray();
        Assert.NotEqual(sources[0], sources[1]);
    }

    [Fact]
    public async Task Traffic_KeepsAFlowAlive_PastTheIdleTimeout()
    {
        var clock = new ManualTimeProvider();
        var backend = Backend(1);
        var forwarder = await StartForwarder(_ => backend.EndPoint, new UdpForwarderOptions { IdleTimeout = TimeSpan.FromSeconds(30) }, clock);
        var client = Client();
        for (var i = 0; i < 4; i++)
        {
            await client.RequestAsync(forwarder.ListenEndPoint, "x"u8.ToArray());
            clock.Advance(TimeSpan.FromSeconds(20));
        }
        Assert.Equal(1, forwarder.FlowCount);
        Assert.Equal(1, forwarder.Counters.FlowsCreated);
    }

    [Fact]
    public async Task BackendChange_SendsNewFlowsToTheNewBackend_PruneMovesTheOldFlows()
    {
        var first = Backend(1);
        var second = Backend(2);
        var current = first.EndPoint;
        var forwarder = await StartForwarder(_ => Volatile.Read(ref current));
        var early = Client();
        var late = Client();

        Assert.Equal(1, (await early.RequestAsync(forwarder.ListenEndPoint, "1"u8.ToArray())).Data[0]);
        Volatile.Write(ref current, second.EndPoint);
        Assert.Equal(2, (await late.RequestAsync(forwarder.ListenEndPoint, "2"u8.ToArray())).Data[0]);
        Assert.Equal(1, (await early.RequestAsync(forwarder.ListenEndPoint, "3"u8.ToArray())).Data[0]); // flows stick

        var pruned = forwarder.Prune(b => b.Equals(second.EndPoint));

        Assert.Equal(1, pruned);
        Assert.Equal(1, forwarder.Counters.FlowsPruned);
        Assert.Equal(2, (await early.RequestAsync(forwarder.ListenEndPoint, "4"u8.ToArray())).Data[0]);
    }

    [Fact]
    public async Task RefusedBackend_EndsTheFlow_AndTheForwarderKeepsServing()
    {
        // A port nobody listens on: the kernel answers ICMP port unreachable, which the connected socket reports.
        IPEndPoint dead;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(_address, 0));
            dead = (IPEndPoint)probe.LocalEndPoint!;
        }
        var good = Backend(7);
        var current = dead;
        var forwarder = await StartForwarder(_ => Volatile.Read(ref current));
        var client = Client();

        await client.SendAsync(forwarder.ListenEndPoint, "lost"u8.ToArray());
        await Eventually(() => forwarder.Counters.FlowsRefused == 1, "the refused flow to end");
        Assert.Equal(0, forwarder.FlowCount);

        Volatile.Write(ref current, good.EndPoint);
        var (data, _) = await client.RequestAsync(forwarder.ListenEndPoint, "again"u8.ToArray());
        Assert.Equal([7, .. "again"u8], data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9000)]
    [InlineData(65506)] // + the backend's id byte = 65,507, the largest IPv4 UDP payload
    public async Task LargeDatagrams_RoundTripIntact(int size)
    {
        var backend = Backend(3);
        var forwarder = await StartForwarder(_ => backend.EndPoint);
        var client = Client();
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);

        var (data, _) = await client.RequestAsync(forwarder.ListenEndPoint, payload);

        Assert.Equal(size + 1, data.Length);
        Assert.Equal(3, data[0]);
        Assert.True(payload.AsSpan().SequenceEqual(data.AsSpan(1)));
    }

    [Fact]
    public async Task NoBackend_DropsTheDatagram_AndCountsIt()
    {
        var forwarder = await StartForwarder(_ => null);
        var client = Client();

        await client.SendAsync(forwarder.ListenEndPoint, "nobody"u8.ToArray());

        await Eventually(() => forwarder.Counters.DroppedNoBackend == 1, "the drop to be counted");
        Assert.Equal(0, forwarder.FlowCount);
    }

    [Fact]
    public async Task FlowLimit_DropsNewClients_KeepsServingExistingFlows()
    {
        var backend = Backend(1);
        var forwarder = await StartForwarder(_ => backend.EndPoint, new UdpForwarderOptions { MaxFlows = 1 });
        var first = Client();
        var second = Client();
        await first.RequestAsync(forwarder.ListenEndPoint, "a"u8.ToArray());

        await second.SendAsync(forwarder.ListenEndPoint, "b"u8.ToArray());
        await Eventually(() => forwarder.Counters.DroppedFlowLimit == 1, "the second client to be dropped");

        Assert.Equal([1, .. "c"u8], (await first.RequestAsync(forwarder.ListenEndPoint, "c"u8.ToArray())).Data);
        Assert.Equal(1, forwarder.FlowCount);
    }

    [Fact]
    public async Task Start_OnAnAddressNotOnTheHost_BindsThanksToFreebind()
    {
        // 198.51.100.0/24 (TEST-NET-2) is not configured on the hosts we run on; without IP_FREEBIND the bind fails with
        // EADDRNOTAVAIL. Only a bind: nothing is sent to it.
        var notLocal = new IPAddress([198, 51, 100, (byte)Random.Shared.Next(1, 255)]);
        var forwarder = new UdpServiceForwarder(new IPEndPoint(notLocal, 0), _ => null);
        _owned.Add(forwarder);

        await forwarder.StartAsync(CancellationToken.None);

        Assert.Equal(notLocal, forwarder.ListenEndPoint.Address);
        Assert.NotEqual(0, forwarder.ListenEndPoint.Port);
    }

    [Fact]
    public async Task Start_OnAPortInUse_ThrowsAddressInUse()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(_address, 0));
        var forwarder = new UdpServiceForwarder((IPEndPoint)holder.LocalEndPoint!, _ => null);
        _owned.Add(forwarder);

        var e = await Assert.ThrowsAsync<SocketException>(() => forwarder.StartAsync(CancellationToken.None));
        Assert.Equal(SocketError.AddressAlreadyInUse, e.SocketErrorCode);
    }

    [Fact]
    public async Task Dispose_ClosesTheListenSocketAndEveryFlow()
    {
        var backend = Backend(1);
        var forwarder = new UdpServiceForwarder(new IPEndPoint(_address, 0), _ => backend.EndPoint);
        await forwarder.StartAsync(CancellationToken.None);
        var endpoint = forwarder.ListenEndPoint;
        var client = Client();
        await client.RequestAsync(endpoint, "x"u8.ToArray());

        await forwarder.DisposeAsync();

        Assert.Equal(0, forwarder.FlowCount);
        using var rebind = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rebind.Bind(endpoint); // the port is free again
    }
}
