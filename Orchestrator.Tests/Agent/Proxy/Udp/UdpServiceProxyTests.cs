using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Proxy;
using Orchestrator.Agent.Proxy.Udp;
using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Proxy.Udp;

/// <summary>
/// The UDP half of the service proxy against snapshots from <see cref="ClusterServicesBuilder.Build"/> and planned
/// listeners on a loopback address of this test's own; backends are echo sockets on the same address.
/// </summary>
public sealed class UdpServiceProxyTests : IAsyncLifetime
{
    private const string Node = "node-a";
    private readonly IPAddress _address = new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);
    private readonly UdpServiceProxy _proxy = new(Options.Create(new ServiceProxyOptions()), Options.Create(new UdpForwarderOptions()),
        TimeProvider.System, NullLoggerFactory.Instance);
    private readonly List<UdpEchoBackend> _backends = [];
    private readonly List<UdpTestClient> _clients = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        foreach (var c in _clients) c.Dispose();
        foreach (var b in _backends) await b.DisposeAsync();
    }

    private UdpEchoBackend Backend(byte id)
    {
        var b = new UdpEchoBackend(_address, id);
        _backends.Add(b);
        return b;
    }

    private UdpTestClient Client()
    {
        var c = new UdpTestClient(_address);
        _clients.Add(c);
        return c;
    }

    private int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(_address, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>A selectorless UDP service shop/dns-like with hand-written Endpoints: (backend, node) pairs.</summary>
    private static ClusterServices Snapshot(long version, string externalTrafficPolicy, params (UdpEchoBackend Backend, string Node)[] endpoints)
    {
        var service = JsonNode.Parse($$$"""
            {"metadata": {"namespace": "shop", "name": "game"},
             "spec": {"type": "NodePort", "clusterIP": "10.96.7.7", "externalTrafficPolicy": "{{{externalTrafficPolicy}}}",
                      "ports": [{"name": "game", "protocol": "UDP", "port": 7777, "nodePort": 30777}]}}
            """)!.AsObject();
        var subsets = new JsonArray();
        foreach (var (backend, node) in endpoints)
        {
            subsets.Add(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = backend.EndPoint.Address.ToString(), ["nodeName"] = node }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "game", ["port"] = backend.EndPoint.Port, ["protocol"] = "UDP" }),
            });
        }
        var endpointsObject = new JsonObject
        {
            ["metadata"] = new JsonObject { ["namespace"] = "shop", ["name"] = "game" },
            ["subsets"] = subsets,
        };
        return ClusterServicesBuilder.Build(version, DateTimeOffset.UnixEpoch, Node, NetworkSettings.Default, [service], [], [endpointsObject], [], []);
    }

    private DesiredListener Listener(ClusterServices snapshot, int port, ListenerKind kind) =>
        new(new ListenerKey(_address, port, "UDP"), "shop/game", snapshot.Services["shop/game"].Ports[0], kind);

    [Fact]
    public async Task Apply_ServesTheListener_AndSpreadsClientsOverEndpoints()
    {
        var a = Backend(1);
        var b = Backend(2);
        var snapshot = Snapshot(1, "Cluster", (a, Node), (b, "node-b"));
        var listener = Listener(snapshot, FreeUdpPort(), ListenerKind.ClusterIp);

        var conflicts = await _proxy.ApplyAsync(snapshot, [listener], CancellationToken.None);

        Assert.Empty(conflicts);
        var first = (await Client().RequestAsync(listener.Key.EndPoint, "1"u8.ToArray())).Data[0];
        var second = (await Client().RequestAsync(listener.Key.EndPoint, "2"u8.ToArray())).Data[0];
        Assert.Equal(new byte[] { 1, 2 }, new[] { first, second }.Order().ToArray()); // round robin: one flow each
    }

    [Fact]
    public async Task Apply_EndpointLeaves_ItsFlowsMoveToTheRemainingOne()
    {
        var a = Backend(1);
        var b = Backend(2);
        var port = FreeUdpPort();
        var before = Snapshot(1, "Cluster", (a, Node), (b, Node));
        await _proxy.ApplyAsync(before, [Listener(before, port, ListenerKind.ClusterIp)], CancellationToken.None);
        var c1 = Client();
        var c2 = Client();
        var endpoint = new IPEndPoint(_address, port);
        var on1 = (await c1.RequestAsync(endpoint, "x"u8.ToArray())).Data[0];
        var on2 = (await c2.RequestAsync(endpoint, "x"u8.ToArray())).Data[0];
        Assert.NotEqual(on1, on2);

        var after = Snapshot(2, "Cluster", (b, Node));
        await _proxy.ApplyAsync(after, [Listener(after, port, ListenerKind.ClusterIp)], CancellationToken.None);

        Assert.Equal(2, (await c1.RequestAsync(endpoint, "y"u8.ToArray())).Data[0]);
        Assert.Equal(2, (await c2.RequestAsync(endpoint, "y"u8.ToArray())).Data[0]);
        Assert.Equal(1, _proxy.Forwarders[new ListenerKey(_address, port, "UDP")].Counters.FlowsPruned);
    }

    [Fact]
    public async Task Apply_ExternalTrafficPolicyLocal_NodePortUsesOnlyThisNodesEndpoints()
    {
        var remote = Backend(1);
        var local = Backend(2);
        var snapshot = Snapshot(1, "Local", (remote, "node-b"), (local, Node));
        var listener = Listener(snapshot, FreeUdpPort(), ListenerKind.NodePort);
        await _proxy.ApplyAsync(snapshot, [listener], CancellationToken.None);

        for (var i = 0; i < 3; i++)
            Assert.Equal(2, (await Client().RequestAsync(listener.Key.EndPoint, "x"u8.ToArray())).Data[0]);

        var onlyRemote = Snapshot(2, "Local", (remote, "node-b"));
        await _proxy.ApplyAsync(onlyRemote, [Listener(onlyRemote, listener.Key.Port, ListenerKind.NodePort)], CancellationToken.None);
        var forwarder = _proxy.Forwarders[listener.Key];
        await Client().SendAsync(listener.Key.EndPoint, "dropped"u8.ToArray());
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (forwarder.Counters.DroppedNoBackend == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(1, forwarder.Counters.DroppedNoBackend);
    }

    [Fact]
    public async Task Apply_ListenerNoLongerPlanned_ClosesIt()
    {
        var a = Backend(1);
        var snapshot = Snapshot(1, "Cluster", (a, Node));
        var listener = Listener(snapshot, FreeUdpPort(), ListenerKind.ClusterIp);
        await _proxy.ApplyAsync(snapshot, [listener], CancellationToken.None);
        Assert.Single(_proxy.Forwarders);

        await _proxy.ApplyAsync(Snapshot(2, "Cluster", (a, Node)), [], CancellationToken.None);

        Assert.Empty(_proxy.Forwarders);
        using var rebind = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rebind.Bind(listener.Key.EndPoint);
    }

    [Fact]
    public async Task Apply_PortTaken_ReturnsAConflict_AndBindsOnALaterApply()
    {
        var a = Backend(1);
        var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(_address, 0));
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var snapshot = Snapshot(1, "Cluster", (a, Node));
        var listener = Listener(snapshot, port, ListenerKind.ClusterIp);

        var conflicts = await _proxy.ApplyAsync(snapshot, [listener], CancellationToken.None);

        var conflict = Assert.Single(conflicts);
        Assert.Equal(listener, conflict.Listener);
        Assert.Equal("address already in use", conflict.Error);
        Assert.Empty(_proxy.Forwarders);

        holder.Dispose();
        Assert.Empty(await _proxy.ApplyAsync(snapshot, [listener], CancellationToken.None));
        Assert.Equal(1, (await Client().RequestAsync(listener.Key.EndPoint, "x"u8.ToArray())).Data[0]);
    }
}
