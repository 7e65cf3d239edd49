using System.Text.Json.Nodes;
using Orchestrator.Agent.Probes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Probes;

/// <summary>One probe run at a time against a loopback listener: what goes over the wire and how it is judged.</summary>
public sealed class HandlerRunnerProbeTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly DockerClient _docker = new("unix:///nonexistent/probes-test.sock");
    private readonly HandlerRunner _runner;
    private readonly ProbeTestHttpServer _server = new();

    public HandlerRunnerProbeTests() => _runner = new HandlerRunner(_docker, _time);

    public void Dispose()
    {
        _runner.Dispose();
        _docker.Dispose();
        _server.Dispose();
    }

    private Task<ProbeResult> ProbeAsync(JsonObject probe, JsonObject? container = null, string? podIp = "127.0.0.1") =>
        _runner.ProbeAsync(
            ProbeTargets.Target(container ?? ProbeTargets.Container(), _time.GetUtcNow(), podIp: podIp),
            ProbeSettings.Parse(probe, ProbeKind.Liveness),
            CancellationToken.None);

    private static JsonObject HttpGet(JsonNode port, string? path = null, JsonArray? headers = null, string? host = null)
    {
        var httpGet = new JsonObject { ["port"] = port };
        if (path is not null) httpGet["path"] = path;
        if (headers is not null) httpGet["httpHeaders"] = headers;
        if (host is not null) httpGet["host"] = host;
        return new JsonObject { ["httpGet"] = httpGet };
    }

    [Theory]
    [InlineData(200, ProbeOutcome.Success)]
    [InlineData(204, ProbeOutcome.Success)]
    [InlineData(399, ProbeOutcome.Warning)]
    [InlineData(400, ProbeOutcome.Failure)]
    [InlineData(404, ProbeOutcome.Failure)]
    [InlineData(500, ProbeOutcome.Failure)]
    public async Task HttpGet_StatusCodes_AreJudgedLikeTheKubelet(int status, ProbeOutcome expected)
    {
        _server.Respond = _ => new ServerReply(status, "secret body");

        var result = await ProbeAsync(HttpGet(_server.Port, "/healthz"));

        Assert.Equal(expected, result.Outcome);
        if (expected == ProbeOutcome.Failure)
            Assert.Equal($"HTTP probe failed with statuscode: {status}", result.Output);
    }

    [Fact]
    public async Task HttpGet_SendsKubeProbeHeaders_NamedPort_PathWithQuery_AndSpecHeaders()
    {
        var container = ProbeTargets.Container(ports: [new JsonObject { ["name"] = "health", ["containerPort"] = _server.Port }]);
        var headers = new JsonArray
        {
            new JsonObject { ["name"] = "X-Probe", ["value"] = "yes" },
            new JsonObject { ["name"] = "Host", ["value"] = "web.example" },
        };

        var result = await ProbeAsync(HttpGet("health", "healthz?verbose=1", headers), container);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.Equal("ok", result.Output);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/healthz?verbose=1", request.Target);
        Assert.Equal("kube-probe/1.32", request.Headers["User-Agent"]);
        Assert.Equal("*/*", request.Headers["Accept"]);
        Assert.Equal("yes", request.Headers["X-Probe"]);
        Assert.Equal("web.example", request.Headers["Host"]);
        Assert.Equal("close", request.Headers["Connection"]);
    }

    [Fact]
    public async Task HttpGet_UserAgentAndAcceptFromTheSpec_ReplaceTheDefaults()
    {
        var headers = new JsonArray
        {
            new JsonObject { ["name"] = "User-Agent", ["value"] = "mine/1" },
            new JsonObject { ["name"] = "Accept", ["value"] = "" },
        };

        await ProbeAsync(HttpGet(_server.Port, "/", headers));

        var request = Assert.Single(_server.Requests);
        Assert.Equal("mine/1", request.Headers["User-Agent"]);
        Assert.False(request.Headers.ContainsKey("Accept"), "an empty Accept in the spec removes the header");
    }

    [Fact]
    public async Task HttpGet_HostDefaultsToThePodIp_AndTheHostFieldOverridesIt()
    {
        Assert.Equal(ProbeOutcome.Success, (await ProbeAsync(HttpGet(_server.Port), podIp: "127.0.0.1")).Outcome);
        Assert.Equal(ProbeOutcome.Success, (await ProbeAsync(HttpGet(_server.Port, host: "127.0.0.1"), podIp: "10.255.255.1")).Outcome);
        Assert.Equal(ProbeOutcome.Error, (await ProbeAsync(HttpGet(_server.Port), podIp: null)).Outcome);
    }

    [Fact]
    public async Task HttpGet_RedirectOnTheSameHost_IsFollowed()
    {
        _server.Respond = r => r.Target == "/old"
            ? new ServerReply(302, "", new Dictionary<string, string> { ["Location"] = "/new" })
            : new ServerReply(r.Target == "/new" ? 200 : 500, "new place");

        var result = await ProbeAsync(HttpGet(_server.Port, "/old"));

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.Equal(["/old", "/new"], _server.Requests.Select(r => r.Target));
        Assert.Equal("kube-probe/1.32", _server.Requests[1].Headers["User-Agent"]);
    }

    [Fact]
    public async Task HttpGet_RedirectToAnotherHost_IsNotFollowed_AndPassesWithAWarning()
    {
        // localhost names the same listener but is another host name: the kubelet stops there.
        _server.Respond = r => r.Target == "/old"
            ? new ServerReply(301, "moved", new Dictionary<string, string> { ["Location"] = $"http://localhost:{_server.Port}/elsewhere" })
            : new ServerReply(500);

        var result = await ProbeAsync(HttpGet(_server.Port, "/old"));

        Assert.Equal(ProbeOutcome.Warning, result.Outcome);
        Assert.True(result.Passed);
        Assert.Equal("Probe terminated redirects, Response body: moved", result.Output);
        Assert.Equal(["/old"], _server.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task HttpGet_EndlessRedirects_StopAfterTen()
    {
        _server.Respond = _ => new ServerReply(302, "", new Dictionary<string, string> { ["Location"] = "/again" });

        var result = await ProbeAsync(HttpGet(_server.Port, "/start"));

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.EndsWith("stopped after 10 redirects", result.Output);
        Assert.Equal(10, _server.Requests.Count);
    }

    [Fact]
    public async Task HttpGet_BodyIsReadOnlyUpTo10KiB()
    {
        _server.Respond = _ => new ServerReply(200, new string('x', 50_000));

        var result = await ProbeAsync(HttpGet(_server.Port));

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.Equal(10 * 1024, result.Output.Length);
    }

    [Fact]
    public async Task HttpGet_RefusedConnection_FailsWithGoWording()
    {
        var port = ProbeTargets.ClosedPort();

        var result = await ProbeAsync(HttpGet(port, "/healthz"));

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Equal($"Get \"http://127.0.0.1:{port}/healthz\": dial tcp 127.0.0.1:{port}: connect: connection refused", result.Output);
    }

    [Fact]
    public async Task HttpGet_NoAnswerWithinTimeoutSeconds_FailsWithContextDeadlineExceeded()
    {
        _server.Respond = _ => ServerReply.Hang;
        var probe = HttpGet(_server.Port, "/slow");
        probe["timeoutSeconds"] = 3;

        var run = ProbeAsync(probe);
        Assert.True(await _server.WaitForRequestAsync(), "the probe's request never arrived");
        _time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(200);
        Assert.False(run.IsCompleted, "the probe gave up before its timeoutSeconds");
        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Equal($"Get \"http://127.0.0.1:{_server.Port}/slow\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
            result.Output);
    }

    [Fact]
    public async Task HttpGet_Https_WithASelfSignedCertificate_Passes()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=probes-test", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // A PFX round trip gives SslStream a certificate whose private key it can use on Linux.
        using var usable = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
            certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
        using var tls = new ProbeTestHttpServer(_ => new ServerReply(200, "secure"), usable);
        var probe = HttpGet(tls.Port, "/healthz");
        probe["httpGet"]!["scheme"] = "HTTPS";

        var result = await ProbeAsync(probe);

        Assert.Equal(ProbeResult.Success("secure"), result);
        Assert.Equal("/healthz", Assert.Single(tls.Requests).Target);
    }

    [Fact]
    public async Task HttpGet_UnknownPortName_IsAnError_NotAFailure()
    {
        var result = await ProbeAsync(HttpGet("metrics"));

        Assert.Equal(ProbeOutcome.Error, result.Outcome);
        Assert.Contains("couldn't find port: metrics", result.Output);
    }

    [Fact]
    public async Task TcpSocket_OpenPortPasses_NamedPortResolves_ClosedPortFails()
    {
        var container = ProbeTargets.Container(ports: [new JsonObject { ["name"] = "web", ["containerPort"] = _server.Port }]);
        var open = await ProbeAsync(new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = "web" } }, container);
        var closedPort = ProbeTargets.ClosedPort();
        var closed = await ProbeAsync(new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = closedPort } });

        Assert.Equal(ProbeOutcome.Success, open.Outcome);
        Assert.Equal(ProbeOutcome.Failure, closed.Outcome);
        Assert.Equal($"dial tcp 127.0.0.1:{closedPort}: connect: connection refused", closed.Output);
    }

    [Fact]
    public async Task NoHandler_IsAnError()
    {
        var result = await ProbeAsync(new JsonObject { ["periodSeconds"] = 5 });

        Assert.Equal(ProbeOutcome.Error, result.Outcome);
    }
}
