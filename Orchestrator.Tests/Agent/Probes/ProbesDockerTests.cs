using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Agent.Probes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Tests.Agent.Runtime;

namespace Orchestrator.Tests.Agent.Probes;

/// <summary>
/// Exec probes and hooks, and HTTP/TCP probes, against real busybox containers (named <c>probes-test-…</c>, removed
/// after each test by the base class). Real clock, one-second periods, generous waits: the machine is shared.
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Category", "Docker")]
public sealed class ProbesDockerTests(DockerFixture fixture) : DockerTestBase(fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<string> StartAsync(string script)
    {
        var id = await CreateAsync(Shell(script), $"probes-test-{RunId}-{Guid.NewGuid().ToString("N")[..6]}");
        await Docker.StartContainerAsync(id, Ct);
        return id;
    }

    private static ContainerProbeTarget Target(string id, JsonObject container, string? podIp = null) =>
        ProbeTargets.Target(container, DateTimeOffset.UtcNow, containerId: id, podIp: podIp);

    private static JsonObject Exec(params string[] command) =>
        new() { ["exec"] = new JsonObject { ["command"] = new JsonArray([.. command.Select(c => (JsonNode)c)]) } };

    private async Task<string> ExecOutputAsync(string id, params string[] command)
    {
        var output = await new ExecAction(Docker, TimeProvider.System).RunAsync(id, command, TimeSpan.FromSeconds(30), Ct);
        return output.Combined;
    }

    [Fact]
    public async Task ExecLiveness_PassesWhileTheFileExists_ThenUnhealthyWithTheCommandOutput()
    {
        var id = await StartAsync("touch /tmp/healthy; sleep 300");
        using var runner = new HandlerRunner(Docker, TimeProvider.System);
        using var manager = new ProbeManager(runner, NullLogger<ProbeManager>.Instance);
        var passed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var unhealthy = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.Probed += r => { if (r.Result.Outcome == ProbeOutcome.Success) passed.TrySetResult(); };
        manager.Unhealthy += (_, message) => unhealthy.TrySetResult(message);
        var probe = Exec("cat", "/tmp/healthy");
        probe["periodSeconds"] = 1;
        probe["failureThreshold"] = 2;
        probe["timeoutSeconds"] = 10;

        manager.Track(Target(id, ProbeTargets.Container(liveness: probe)));
        await passed.Task.WaitAsync(Patience);
        Assert.False(unhealthy.Task.IsCompleted);
        await ExecOutputAsync(id, "rm", "/tmp/healthy");

        var message = await unhealthy.Task.WaitAsync(Patience);
        Assert.Equal("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n", message);
    }

    [Fact]
    public async Task ExecProbe_ExitCodeDecides_AndOutputIsStdoutThenStderr()
    {
        var id = await StartAsync("sleep 300");
        using var runner = new HandlerRunner(Docker, TimeProvider.System);
        var settings = ProbeSettings.Parse(Exec("sh", "-c", "echo out; echo err >&2; exit 3"), ProbeKind.Readiness);
        var passing = ProbeSettings.Parse(Exec("true"), ProbeKind.Readiness);
        var target = Target(id, ProbeTargets.Container());

        var failed = await runner.ProbeAsync(target, settings, Ct);
        var passed = await runner.ProbeAsync(target, passing, Ct);

        Assert.Equal(ProbeResult.Failure("out\nerr\n"), failed);
        Assert.Equal(ProbeOutcome.Success, passed.Outcome);
    }

    [Fact]
    public async Task ExecProbe_TimeoutSeconds_IsHonoured()
    {
        var id = await StartAsync("sleep 300");
        using var runner = new HandlerRunner(Docker, TimeProvider.System);
        var probe = Exec("sleep", "20");
        probe["timeoutSeconds"] = 1;

        var started = DateTimeOffset.UtcNow;
        var result = await runner.ProbeAsync(Target(id, ProbeTargets.Container()), ProbeSettings.Parse(probe, ProbeKind.Liveness), Ct);

        Assert.Equal(ProbeResult.Failure("command \"sleep 20\" timed out"), result);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(15), "the exec was waited for past its timeout");
    }

    [Fact]
    public async Task ExecProbe_OnAStoppedContainer_IsAnError()
    {
        var id = await CreateAsync(Shell("exit 0"), $"probes-test-{RunId}-stopped");
        using var runner = new HandlerRunner(Docker, TimeProvider.System);

        var result = await runner.ProbeAsync(Target(id, ProbeTargets.Container()),
            ProbeSettings.Parse(Exec("true"), ProbeKind.Liveness), Ct);

        Assert.Equal(ProbeOutcome.Error, result.Outcome);
    }

    [Fact]
    public async Task PreStopExec_RunsInTheContainer()
    {
        var id = await StartAsync("sleep 300");
        using var runner = new HandlerRunner(Docker, TimeProvider.System);
        var hooks = new LifecycleHandlers(runner, NullLogger<LifecycleHandlers>.Instance);
        var lifecycle = new JsonObject { ["preStop"] = Exec("sh", "-c", "echo bye > /tmp/prestop") };

        await hooks.RunPreStopAsync(Target(id, ProbeTargets.Container(lifecycle: lifecycle)), Ct);

        Assert.Equal("bye\n", await ExecOutputAsync(id, "cat", "/tmp/prestop"));
    }

    [Fact]
    public async Task PostStartExec_Failing_ReturnsTheKubeletMessage()
    {
        var id = await StartAsync("sleep 300");
        using var runner = new HandlerRunner(Docker, TimeProvider.System);
        var hooks = new LifecycleHandlers(runner, NullLogger<LifecycleHandlers>.Instance);
        var failing = new JsonObject { ["postStart"] = Exec("sh", "-c", "echo oops >&2; exit 3") };
        var passing = new JsonObject { ["postStart"] = Exec("sh", "-c", "echo fine") };

        var failure = await hooks.RunPostStartAsync(Target(id, ProbeTargets.Container(lifecycle: failing)), Ct);
        var success = await hooks.RunPostStartAsync(Target(id, ProbeTargets.Container(lifecycle: passing)), Ct);

        Assert.Equal("Exec lifecycle hook ([sh -c echo oops >&2; exit 3]) for Container \"app\" in Pod \"web_default(uid-1)\" " +
                     "failed - error: command 'sh -c echo oops >&2; exit 3' exited with 3: oops\n, message: \"oops\\n\"", failure);
        Assert.Null(success);
    }

    [Fact]
    public async Task HttpAndTcpProbes_ReachBusyboxHttpd_ByTheContainersIp()
    {
        var id = await StartAsync("mkdir -p /www && echo ok > /www/healthz && exec httpd -f -p 8080 -h /www");
        var ip = (await Docker.InspectContainerAsync(id, Ct)).NetworkSettings?.IPAddress;
        Assert.False(string.IsNullOrEmpty(ip), "the container has no IP on the default bridge");
        using var runner = new HandlerRunner(Docker, TimeProvider.System);
        using var manager = new ProbeManager(runner, NullLogger<ProbeManager>.Instance);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var container = ProbeTargets.Container(
            readiness: new JsonObject
            {
                ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = "http" },
                ["periodSeconds"] = 1,
            },
            ports: [new JsonObject { ["name"] = "http", ["containerPort"] = 8080 }]);
        manager.Changed += _ => { if (manager.IsReady(id)) ready.TrySetResult(); };

        manager.Track(Target(id, container, ip));
        await ready.Task.WaitAsync(Patience);

        var target = Target(id, container, ip);
        var missing = await runner.ProbeAsync(target, ProbeSettings.Parse(
            new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/missing", ["port"] = 8080 } }, ProbeKind.Liveness), Ct);
        var tcp = await runner.ProbeAsync(target, ProbeSettings.Parse(
            new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = 8080 } }, ProbeKind.Liveness), Ct);
        var tcpClosed = await runner.ProbeAsync(target, ProbeSettings.Parse(
            new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = 8081 } }, ProbeKind.Liveness), Ct);

        Assert.Equal(ProbeResult.Failure("HTTP probe failed with statuscode: 404"), missing);
        Assert.Equal(ProbeOutcome.Success, tcp.Outcome);
        Assert.Equal(ProbeResult.Failure($"dial tcp {ip}:8081: connect: connection refused"), tcpClosed);
    }
}
