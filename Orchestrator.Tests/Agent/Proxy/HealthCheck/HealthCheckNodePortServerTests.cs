using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Proxy.HealthCheck;
using Orchestrator.Agent.Services;
using Orchestrator.Tests.Support;

using Orchestrator.Tests.Agent.Services;

namespace Orchestrator.Tests.Agent.Proxy.HealthCheck;

/// <summary>
/// Snapshots from <see cref="ClusterServicesBuilder.Build"/>; the server listens on a loopback address of this
/// test's own (127.x.y.z at random) and is asked over real HTTP.
/// </summary>
public sealed class HealthCheckNodePortServerTests : IAsyncLifetime
{
    private const string Node = "node-a";
    private readonly IPAddress _address = new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);
    private readonly FakeServiceView _view = new();
    private readonly HttpClient _http = new(new HttpClientHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private HealthCheckNodePortServer? _server;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync(CancellationToken.None);
            _server.Dispose();
        }
        _http.Dispose();
    }

    private int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(_address, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static JsonObject Service(string name, int healthCheckNodePort) => JsonNode.Parse($$$"""
        {"metadata": {"namespace": "shop", "name": "{{{name}}}"},
         "spec": {"type": "LoadBalancer", "clusterIP": "10.96.0.50", "externalTrafficPolicy": "Local",
                  "healthCheckNodePort": {{{healthCheckNodePort}}},
                  "ports": [{"name": "http", "protocol": "TCP", "port": 80, "nodePort": 30080}]}}
        """)!.AsObject();

    /// <summary>Endpoints of shop/<paramref name="name"/>: ready addresses with their node, then not-ready ones.</summary>
    private static JsonObject Endpoints(string name, (string Ip, string Node)[] ready, (string Ip, string Node)[]? notReady = null)
    {
        static JsonArray Addresses((string Ip, string Node)[] list) =>
            new(list.Select(a => (JsonNode)new JsonObject { ["ip"] = a.Ip, ["nodeName"] = a.Node }).ToArray());
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["namespace"] = "shop", ["name"] = name },
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = Addresses(ready),
                ["notReadyAddresses"] = Addresses(notReady ?? []),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080, ["protocol"] = "TCP" }),
            }),
        };
    }

    private static ClusterServices Snapshot(long version, JsonObject[] services, JsonObject[] endpoints) =>
        ClusterServicesBuilder.Build(version, DateTimeOffset.UnixEpoch, Node, NetworkSettings.Default,
            services, [], endpoints, [], []);

    private async Task<HealthCheckNodePortServer> StartServer(TimeProvider? time = null)
    {
        var options = new HealthCheckNodePortOptions { HealthCheckAddresses = [_address.ToString()] };
        _server = new HealthCheckNodePortServer(_view, Options.Create(options), time ?? TimeProvider.System,
            NullLogger<HealthCheckNodePortServer>.Instance);
        await _server.StartAsync(CancellationToken.None);
        return _server;
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

    private static bool Serves(HealthCheckNodePortServer server, int port, IPAddress address) =>
        server.Served.TryGetValue(port, out var addresses) && addresses.Contains(address);

    [Fact]
    public void DesiredPorts_CountsReadyEndpointsOnThisNodeOnly()
    {
        var snapshot = Snapshot(1,
            [Service("web", 31001), Service("plain", 0)],
            [Endpoints("web",
                ready: [("10.244.0.5", Node), ("10.244.0.6", Node), ("10.244.1.5", "node-b")],
                notReady: [("10.244.0.7", Node)])]);

        var desired = HealthCheckNodePortServer.DesiredPorts(snapshot);

        Assert.Equal([31001], desired.Keys);
        Assert.Equal(new HealthCheckStatus("shop", "web", 2), desired[31001]);
    }

    [Fact]
    public async Task LocalEndpoints_Answer200_WithKubeProxysJsonAndHeaders()
    {
        var port = FreePort();
        _view.Publish(Snapshot(1, [Service("web", port)], [Endpoints("web", [("10.244.0.5", Node), ("10.244.1.5", "node-b")])]));
        var server = await StartServer();
        await Eventually(() => Serves(server, port, _address), "the port to be served");

        using var response = await _http.GetAsync($"http://{_address}:{port}/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("shop", (string?)json["service"]?["namespace"]);
        Assert.Equal("web", (string?)json["service"]?["name"]);
        Assert.Equal(1, (int?)json["localEndpoints"]);
        Assert.True((bool?)json["serviceProxyHealthy"]);
    }

    [Fact]
    public async Task NoLocalEndpoint_Answers503_WithTheSameJson()
    {
        var port = FreePort();
        _view.Publish(Snapshot(1, [Service("web", port)],
            [Endpoints("web", [("10.244.1.5", "node-b")], notReady: [("10.244.0.5", Node)])]));
        var server = await StartServer();
        await Eventually(() => Serves(server, port, _address), "the port to be served");

        using var response = await _http.GetAsync($"http://{_address}:{port}/anything?at=all");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(0, (int?)json["localEndpoints"]);
        Assert.Equal("web", (string?)json["service"]?["name"]);
    }

    [Fact]
    public async Task SnapshotChanges_SwapTheAnswer_AndARemovedServiceClosesItsPort()
    {
        var port = FreePort();
        _view.Publish(Snapshot(1, [Service("web", port)], [Endpoints("web", [("10.244.1.5", "node-b")])]));
        var server = await StartServer();
        await Eventually(() => Serves(server, port, _address), "the port to be served");
        using (var r = await _http.GetAsync($"http://{_address}:{port}/"))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);

        _view.Publish(Snapshot(2, [Service("web", port)], [Endpoints("web", [("10.244.0.9", Node)])]));
        await Eventually(() => _http.GetAsync($"http://{_address}:{port}/").Result.StatusCode == HttpStatusCode.OK, "a 200 after the endpoint moved here");

        _view.Publish(Snapshot(3, [], []));
        await Eventually(() => !server.Served.ContainsKey(port), "the port to close");
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync($"http://{_address}:{port}/"));
    }

    [Fact]
    public async Task Head_GetsHeadersWithoutBody_AndGarbageGets400()
    {
        var port = FreePort();
        _view.Publish(Snapshot(1, [Service("web", port)], [Endpoints("web", [("10.244.0.5", Node)])]));
        var server = await StartServer();
        await Eventually(() => Serves(server, port, _address), "the port to be served");

        var head = await RawRequest(port, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
        Assert.EndsWith("\r\n\r\n", head);
        Assert.Contains("Content-Length: ", head);

        var garbage = await RawRequest(port, "\x16\x03\x01 not http\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", garbage);
    }

    private async Task<string> RawRequest(int port, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(new IPEndPoint(_address, port), cts.Token);
        await socket.SendAsync(Encoding.Latin1.GetBytes(request), SocketFlags.None, cts.Token);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0) received.Write(buffer, 0, n);
        return Encoding.Latin1.GetString(received.ToArray());
    }

    [Fact]
    public async Task PortTaken_IsRetried_AndServedOnceFree()
    {
        var clock = new ManualTimeProvider();
        var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(_address, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        _view.Publish(Snapshot(1, [Service("web", port)], [Endpoints("web", [("10.244.0.5", Node)])]));
        var server = await StartServer(clock);
        await Eventually(() => server.Served.ContainsKey(port), "the port to be tried");
        Assert.DoesNotContain(_address, server.Served[port]);

        holder.Dispose();
        await Eventually(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            return Serves(server, port, _address);
        }, "the retry to bind the freed port");
        using var response = await _http.GetAsync($"http://{_address}:{port}/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("ServiceProxy:Enabled", "false", false)]
    [InlineData("ServiceProxy:HealthCheckEnabled", "false", false)]
    [InlineData("ServiceProxy:HealthCheckEnabled", "true", true)]
    public void AddHealthCheckNodePorts_HonoursTheSwitches(string key, string value, bool registered)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var services = new ServiceCollection();

        services.AddHealthCheckNodePorts(configuration);

        Assert.Equal(registered, services.Any(d => d.ServiceType == typeof(HealthCheckNodePortServer)));
    }
}
