using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Probes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Probes;

/// <summary>postStart/preStop with httpGet and sleep on a manual clock (exec hooks: <see cref="ProbesDockerTests"/>).</summary>
public sealed class LifecycleHandlersTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly DockerClient _docker = new("unix:///nonexistent/probes-test.sock");
    private readonly HandlerRunner _runner;
    private readonly LifecycleHandlers _hooks;
    private readonly ProbeTestHttpServer _server = new();

    public LifecycleHandlersTests()
    {
        _runner = new HandlerRunner(_docker, _time);
        _hooks = new LifecycleHandlers(_runner, NullLogger<LifecycleHandlers>.Instance);
    }

    public void Dispose()
    {
        _runner.Dispose();
        _docker.Dispose();
        _server.Dispose();
    }

    private ContainerProbeTarget With(string hook, JsonObject handler) =>
        ProbeTargets.Target(ProbeTargets.Container(lifecycle: new JsonObject { [hook] = handler }), _time.GetUtcNow());

    [Fact]
    public async Task PostStart_None_Succeeds()
    {
        Assert.Null(await _hooks.RunPostStartAsync(ProbeTargets.Target(ProbeTargets.Container(), _time.GetUtcNow()), CancellationToken.None));
    }

    [Fact]
    public async Task PostStart_HttpGet_AnyAnswerSucceeds_EvenA500()
    {
        _server.Respond = _ => new ServerReply(500);
        var handler = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/started", ["port"] = _server.Port } };

        var failure = await _hooks.RunPostStartAsync(With("postStart", handler), CancellationToken.None);

        Assert.Null(failure);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/started", request.Target);
    }

    [Fact]
    public async Task PostStart_HttpGet_NoAnswer_FailsWithTheKubeletMessage()
    {
        var port = ProbeTargets.ClosedPort();
        var handler = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/started", ["port"] = port } };

        var failure = await _hooks.RunPostStartAsync(With("postStart", handler), CancellationToken.None);

        Assert.Equal("HTTP lifecycle hook (/started) for Container \"app\" in Pod \"web_default(uid-1)\" failed - error: " +
                     $"Get \"http://127.0.0.1:{port}/started\": dial tcp 127.0.0.1:{port}: connect: connection refused", failure);
    }

    [Fact]
    public async Task PostStart_TcpSocket_CannotRun()
    {
        var handler = new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = 80 } };

        var failure = await _hooks.RunPostStartAsync(With("postStart", handler), CancellationToken.None);

        Assert.StartsWith("Cannot run handler: invalid handler", failure);
    }

    [Fact]
    public async Task PreStop_Sleep_WaitsItsSecondsOnTheClock()
    {
        var run = _hooks.RunPreStopAsync(With("preStop", new JsonObject { ["sleep"] = new JsonObject { ["seconds"] = 5 } }),
            CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(100);
        Assert.False(run.IsCompleted, "preStop sleep ended before its 5 seconds");
        _time.Advance(TimeSpan.FromSeconds(1));
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Sleep_CutShort_IsTheHooksFailure()
    {
        using var grace = new CancellationTokenSource();
        var run = _runner.RunHookAsync(With("preStop", new JsonObject()), new JsonObject { ["sleep"] = new JsonObject { ["seconds"] = 30 } },
            grace.Token);

        grace.Cancel();

        Assert.Equal("Sleep lifecycle hook (30) for Container \"app\" in Pod \"web_default(uid-1)\" failed - error: " +
                     "container terminated before sleep hook finished", await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task PreStop_HttpGet_IsSent_AndAGracePeriodThatEndsFirst_DoesNotThrow()
    {
        _server.Respond = _ => ServerReply.Hang;
        using var grace = new CancellationTokenSource();
        var handler = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/shutdown", ["port"] = _server.Port } };

        var run = _hooks.RunPreStopAsync(With("preStop", handler), grace.Token);
        Assert.True(await _server.WaitForRequestAsync(), "the preStop request never arrived");
        grace.Cancel();

        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("/shutdown", Assert.Single(_server.Requests).Target);
    }
}
