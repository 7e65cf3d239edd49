using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Proxy;

namespace Orchestrator.Tests.Agent.Proxy;

/// <summary>The TCP data path end to end on loopback: real listeners, real backends, snapshots from the builder.</summary>
public sealed class TcpProxyTests
{
    private static ServiceSnapshots.Endpoint Ep(TestBackend b, string node = ServiceSnapshots.Node, bool ready = true) => new(b.EndPoint, node, ready);

    [Fact]
    public async Task RoundRobin_ThreeBackends_EachServesInTurn()
    {
        await using var b1 = new TestBackend("b1");
        await using var b2 = new TestBackend("b2");
        await using var b3 = new TestBackend("b3");
        await using var h = new ProxyHarness();
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8080);
        h.Snapshots.Add(ServiceSnapshots.ServiceJson("web", vip.Address, vip.Port), Ep(b1), Ep(b2), Ep(b3));
        await h.PublishAsync();

        var names = new List<string>();
        for (var i = 0; i < 6; i++) names.Add(await ProxyHarness.GreetingAsync(vip));

        Assert.Equal(["b1", "b2", "b3"], names.Take(3).Order());
        Assert.Equal(["b1", "b2", "b3"], names.Skip(3).Order());
        Assert.Equal(names.Take(3), names.Skip(3));
    }

    [Fact]
    public async Task NoReadyEndpoint_ConnectionIsResetAtOnce()
    {
        await using var notReady = new TestBackend("nr");
        await using var h = new ProxyHarness();
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8081);
        h.Snapshots.Add(ServiceSnapshots.ServiceJson("empty", vip.Address, vip.Port), Ep(notReady, ready: false));
        await h.PublishAsync();

        Assert.True(await ProxyHarness.IsResetAsync(vip), "expected RST, got FIN");
        Assert.Equal(0, notReady.Accepted);
    }

    [Fact]
    public async Task ClientHalfClose_RequestThenFin_ResponseStillArrives()
    {
        // The backend answers only after the client's FIN, as an HTTP/1.0 or netcat-style client expects.
        await using var backend = new TestBackend("count", async s =>
        {
            var total = 0;
            var buffer = new byte[1024];
            int n;
            while ((n = await s.ReceiveAsync(buffer)) > 0) total += n;
            await s.SendAsync(Encoding.ASCII.GetBytes($"got {total} bytes"));
            s.Shutdown(SocketShutdown.Send);
        });
        await using var h = new ProxyHarness();
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8082);
        h.Snapshots.Add(ServiceSnapshots.ServiceJson("hc", vip.Address, vip.Port), Ep(backend));
        await h.PublishAsync();

        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(vip);
        await s.SendAsync(Encoding.ASCII.GetBytes("hello, world"));
        s.Shutdown(SocketShutdown.Send);
        var (data, reset) = await ProxyHarness.ReadToEndAsync(s);

        Assert.False(reset);
        Assert.Equal("got 12 bytes", Encoding.ASCII.GetString(data));
    }

    [Fact]
    public async Task BackendHalfClose_FinReachesClient_ClientCanStillSend()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = new TestBackend("bye", async s =>
        {
            await s.SendAsync(Encoding.ASCII.GetBytes("bye"));
            s.Shutdown(SocketShutdown.Send);
            var text = new StringBuilder();
            var buffer = new byte[1024];
            int n;
            while ((n = await s.ReceiveAsync(buffer)) > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, n));
            received.TrySetResult(text.ToString());
        });
        await using var h = new ProxyHarness();
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8083);
        h.Snapshots.Add(ServiceSnapshots.ServiceJson("bhc", vip.Address, vip.Port), Ep(backend));
        await h.PublishAsync();

        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(vip);
        var (data, reset) = await ProxyHarness.ReadToEndAsync(s);
        Assert.False(reset);
        Assert.Equal("bye", Encoding.ASCII.GetString(data));

        await s.SendAsync(Encoding.ASCII.GetBytes("after your FIN"));
        s.Shutdown(SocketShutdown.Send);
        Assert.Equal("after your FIN", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task DeadEndpoint_ConnectionsGoToTheLiveOne_AndTheDeadOneIsEjected()
    {
        await using var live = new TestBackend("live");
        var deadAddress = LoopbackAddress.Random();
        var dead = new IPEndPoint(deadAddress, LoopbackAddress.FreePort(deadAddress)); // nothing listens: connect is refused
        await using var h = new ProxyHarness();
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8084);
        h.Snapshots.Add(ServiceSnapshots.ServiceJson("retry", vip.Address, vip.Port), Ep(live), new ServiceSnapshots.Endpoint(dead));
        await h.PublishAsync();

        for (var i = 0; i < 8; i++) Assert.Equal("live", await ProxyHarness.GreetingAsync(vip));

        var balancer = Assert.Single(h.Proxy.Listeners.Balancers.Values);
        var deadBackend = Assert.Single(balancer.Table.All, b => b.EndPoint.Equals(dead));
        Assert.True(deadBackend.Health.IsEjected(DateTimeOffset.UtcNow.UtcTicks), "the dead endpoint should be ejected after repeated failures");
        Assert.Equal(8, live.Accepted);
    }

    [Fact]
    public async Task SessionAffinityClientIp_OneClientStaysOnOneBackend()
    {
        await using var b1 = new TestBackend("b1");
        await using var b2 = new TestBackend("b2");
        await using var b3 = new TestBackend("b3");
        await using var h = new ProxyHarness();
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8085);
        var svc = ServiceSnapshots.ServiceJson("sticky", vip.Address, vip.Port);
        svc["spec"]!["sessionAffinity"] = "ClientIP";
        h.Snapshots.Add(svc, Ep(b1), Ep(b2), Ep(b3));
        await h.PublishAsync();

        var client = LoopbackAddress.Random();
        var names = new HashSet<string>();
        for (var i = 0; i < 6; i++) names.Add(await ProxyHarness.GreetingAsync(vip, client));

        Assert.Single(names);
    }

    [Fact]
    public async Task ExternalTrafficPolicyLocal_NodePortUsesLocalEndpoints_ClusterIpUsesAll()
    {
        await using var local = new TestBackend("local");
        await using var remote = new TestBackend("remote");
        await using var h = new ProxyHarness();
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8086);
        var nodePort = LoopbackAddress.FreePort(h.NodeAddress);
        var svc = ServiceSnapshots.ServiceJson("etp", vip.Address, vip.Port, "NodePort", nodePort);
        svc["spec"]!["externalTrafficPolicy"] = "Local";
        h.Snapshots.Add(svc, Ep(local), Ep(remote, node: "node-b"));
        await h.PublishAsync();

        var viaNodePort = new HashSet<string>();
        var viaClusterIp = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            viaNodePort.Add(await ProxyHarness.GreetingAsync(new IPEndPoint(h.NodeAddress, nodePort)));
            viaClusterIp.Add(await ProxyHarness.GreetingAsync(vip));
        }

        Assert.Equal(["local"], viaNodePort);
        Assert.Equal(["local", "remote"], viaClusterIp.Order());
    }

    [Fact]
    public async Task InternalTrafficPolicyLocal_WithoutLocalEndpoint_ClusterIpResets()
    {
        await using var remote = new TestBackend("remote");
        await using var h = new ProxyHarness();
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8087);
        var svc = ServiceSnapshots.ServiceJson("itp", vip.Address, vip.Port);
        svc["spec"]!["internalTrafficPolicy"] = "Local";
        h.Snapshots.Add(svc, Ep(remote, node: "node-b"));
        await h.PublishAsync();

        Assert.True(await ProxyHarness.IsResetAsync(vip));
        Assert.Equal(0, remote.Accepted);
    }

    [Fact]
    public async Task LoadBalancerSourceRanges_OutsideClientIsReset_InsideClientIsServed()
    {
        await using var backend = new TestBackend("lb");
        var ingress = LoopbackAddress.Random();
        var allowed = LoopbackAddress.Random();
        var denied = LoopbackAddress.Random();
        await using var h = new ProxyHarness(o => o.NodeAddresses!.Add(ingress.ToString()));
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8088);
        var svc = ServiceSnapshots.ServiceJson("lb", vip.Address, vip.Port, "LoadBalancer");
        svc["spec"]!["loadBalancerSourceRanges"] = new JsonArray($"{allowed}/32");
        svc["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = ingress.ToString() }) } };
        h.Snapshots.Add(svc, Ep(backend));
        await h.PublishAsync();

        Assert.Equal("lb", await ProxyHarness.GreetingAsync(new IPEndPoint(ingress, vip.Port), allowed));
        Assert.True(await ProxyHarness.IsResetAsync(new IPEndPoint(ingress, vip.Port), denied));
        // The cluster IP is not guarded by the ranges.
        Assert.Equal("lb", await ProxyHarness.GreetingAsync(vip, denied));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task ProxyProtocolAnnotation_BackendReceivesHeaderWithTheClientAddress(string version)
    {
        var header = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = new TestBackend("pp", async s =>
        {
            var all = new MemoryStream();
            var buffer = new byte[1024];
            int n;
            while ((n = await s.ReceiveAsync(buffer)) > 0) all.Write(buffer, 0, n);
            header.TrySetResult(all.ToArray());
        });
        await using var h = new ProxyHarness();
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8089);
        var svc = ServiceSnapshots.ServiceJson("pp", vip.Address, vip.Port);
        svc["metadata"]!["annotations"]![Orchestrator.Agent.Proxy.Balancing.BackendTable.ProxyProtocolAnnotation] = version;
        h.Snapshots.Add(svc, Ep(backend));
        await h.PublishAsync();

        var client = LoopbackAddress.Random();
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(client, 0));
        await s.ConnectAsync(vip);
        var clientPort = ((IPEndPoint)s.LocalEndPoint!).Port;
        await s.SendAsync(Encoding.ASCII.GetBytes("payload"));
        s.Shutdown(SocketShutdown.Send);
        var bytes = await header.Task.WaitAsync(TimeSpan.FromSeconds(10));

        if (version == "v1")
        {
            Assert.Equal($"PROXY TCP4 {client} {vip.Address} {clientPort} {vip.Port}\r\npayload", Encoding.ASCII.GetString(bytes));
        }
        else
        {
            Assert.Equal([0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C], bytes[..16]);
            Assert.Equal(client.GetAddressBytes(), bytes[16..20]);
            Assert.Equal(vip.Address.GetAddressBytes(), bytes[20..24]);
            Assert.Equal(clientPort, (bytes[24] << 8) | bytes[25]);
            Assert.Equal(vip.Port, (bytes[26] << 8) | bytes[27]);
            Assert.Equal("payload", Encoding.ASCII.GetString(bytes[28..]));
        }
    }

    [Fact]
    public async Task EndpointsChange_ListenerStaysAndOpenConnectionKeepsWorking_NewConnectionsGoToNewEndpoint()
    {
        await using var b1 = new TestBackend("b1");
        await using var b2 = new TestBackend("b2");
        await using var h = new ProxyHarness();
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8090);
        var svc = ServiceSnapshots.ServiceJson("swap", vip.Address, vip.Port);
        h.Snapshots.Add(svc, Ep(b1));
        await h.PublishAsync();
        var listener = Assert.Single(h.Proxy.Listeners.Listeners.Values);
        var (open, first) = await ProxyHarness.ConnectAsync(vip);
        Assert.Equal("b1", first);

        h.Snapshots.Add(svc, Ep(b2));
        await h.PublishAsync();

        Assert.Same(listener, Assert.Single(h.Proxy.Listeners.Listeners.Values));
        Assert.Equal("b2", await ProxyHarness.GreetingAsync(vip));
        await open.SendAsync(Encoding.ASCII.GetBytes("still here\n"));
        Assert.Equal("still here", await ProxyHarness.ReadLineAsync(open));
        open.Dispose();
    }

    [Fact]
    public async Task ServiceRemoved_ListenerClosed()
    {
        await using var b1 = new TestBackend("b1");
        await using var h = new ProxyHarness();
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8091);
        h.Snapshots.Add(ServiceSnapshots.ServiceJson("gone", vip.Address, vip.Port), Ep(b1));
        await h.PublishAsync();
        Assert.Equal("b1", await ProxyHarness.GreetingAsync(vip));

        h.Snapshots.Remove("gone");
        await h.PublishAsync();

        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var e = await Assert.ThrowsAsync<SocketException>(() => s.ConnectAsync(vip));
        Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
    }

    [Fact]
    public async Task PortInUse_IsReportedWithTheHolder_ThenBoundAndClearedOnceFree()
    {
        await using var b1 = new TestBackend("b1");
        var reporter = new RecordingConflictReporter();
        await using var h = new ProxyHarness(reporter: reporter);
        var vip = new IPEndPoint(LoopbackAddress.Random(), 8092);
        var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(vip);
        squatter.Listen();
        h.Snapshots.Add(ServiceSnapshots.ServiceJson("conflict", vip.Address, vip.Port), Ep(b1));
        await h.PublishAsync();

        await Eventually(() => reporter.Reports.Any(r => r.Conflicts.Count == 1), "the conflict is reported");
        var (service, conflicts) = reporter.Reports.First(r => r.Conflicts.Count == 1);
        Assert.Equal("default/conflict", service);
        var conflict = Assert.Single(conflicts);
        Assert.Equal(new ListenerKey(vip.Address, vip.Port, "TCP"), conflict.Listener.Key);
        Assert.Equal("address already in use", conflict.Error);
        Assert.Contains($"pid {Environment.ProcessId} ", conflict.Holder);

        squatter.Dispose();
        await Eventually(() => reporter.Reports.LastOrDefault() is { Conflicts.Count: 0 }, "the conflict is cleared after a retry");
        Assert.Equal("b1", await ProxyHarness.GreetingAsync(vip));
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException("timed out waiting until " + what);
            await Task.Delay(20);
        }
    }
}
