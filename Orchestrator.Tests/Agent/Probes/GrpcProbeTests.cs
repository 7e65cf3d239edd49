using System.Text.Json.Nodes;
using Orchestrator.Agent.Probes;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Tests.Agent.Probes;

public sealed class GrpcProbeTests : IAsyncLifetime
{
    private readonly DockerClient _docker = new("unix:///nonexistent/probes-test.sock");
    private HandlerRunner _runner = null!;
    private GrpcHealthTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _runner = new HandlerRunner(_docker, TimeProvider.System);
        _server = await GrpcHealthTestServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _runner.Dispose();
        _docker.Dispose();
    }

    private Task<ProbeResult> ProbeAsync(int port, string? service = null)
    {
        var grpc = new JsonObject { ["port"] = port };
        if (service is not null) grpc["service"] = service;
        var probe = new JsonObject { ["grpc"] = grpc, ["timeoutSeconds"] = 10 };
        return _runner.ProbeAsync(ProbeTargets.Target(ProbeTargets.Container(), DateTimeOffset.UtcNow),
            ProbeSettings.Parse(probe, ProbeKind.Liveness), CancellationToken.None);
    }

    [Fact]
    public async Task Serving_Passes()
    {
        var result = await ProbeAsync(_server.Port);

        Assert.Equal(ProbeResult.Success("service healthy"), result);
        Assert.Equal([""], _server.Services);
    }

    [Fact]
    public async Task NotServing_Fails_AndTheServiceNameIsSent()
    {
        _server.StatusOf = s => s == "db" ? 2 : 1;

        var result = await ProbeAsync(_server.Port, "db");

        Assert.Equal(ProbeResult.Failure("service unhealthy (responded with \"NOT_SERVING\")"), result);
        Assert.Equal(["db"], _server.Services);
    }

    [Fact]
    public async Task NoHealthService_FailsAsUnimplemented()
    {
        _server.StatusOf = _ => null;

        var result = await ProbeAsync(_server.Port);

        Assert.Equal(ProbeResult.Failure(
            "this server doesn't implement the grpc health protocol (grpc.health.v1.Health): unknown service"), result);
    }

    [Fact]
    public async Task ClosedPort_FailsToConnect()
    {
        var port = ProbeTargets.ClosedPort();

        var result = await ProbeAsync(port);

        Assert.Equal(ProbeOutcome.Failure, result.Outcome);
        Assert.Equal($"error: failed to connect service at \"127.0.0.1:{port}\": dial tcp 127.0.0.1:{port}: connect: connection refused",
            result.Output);
    }
}
