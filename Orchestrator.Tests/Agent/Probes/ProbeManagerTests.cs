using System.Text.Json.Nodes;
using Orchestrator.Agent.Probes;

namespace Orchestrator.Tests.Agent.Probes;

public sealed class ProbeManagerTests : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private readonly ProbeManagerHarness _h = new();
    private readonly ProbeTestHttpServer _server = new();

    public void Dispose()
    {
        _h.Dispose();
        _server.Dispose();
    }

    private void Answer(int status) => _server.Respond = _ => new ServerReply(status, "body");

    [Fact]
    public void Track_WithoutProbes_IsStartedAndReadyAtOnce_AndUntrackForgetsIt()
    {
        _h.Manager.Track(ProbeTargets.Target(ProbeTargets.Container(), _h.Now));

        Assert.True(_h.Manager.IsStarted("c1"));
        Assert.True(_h.Manager.IsReady("c1"));
        Assert.Empty(_h.Changes);

        _h.Manager.Untrack("c1");
        Assert.False(_h.Manager.IsReady("c1"));
        Assert.False(_h.Manager.IsStarted("c1"));
    }

    [Fact]
    public async Task Readiness_StartsNotReady_FirstRunsAtInitialDelayFromContainerStart()
    {
        var started = _h.Now;
        // The container started 2 s before it is tracked: the delay counts from its start, not from Track.
        _h.Time.Advance(TimeSpan.FromSeconds(2));
        _h.Manager.Track(ProbeTargets.Target(
            ProbeTargets.Container(readiness: ProbeTargets.HttpProbe(_server.Port, "/ready", initialDelay: 5)), started));

        Assert.True(_h.Manager.IsStarted("c1"));
        Assert.False(_h.Manager.IsReady("c1"));
        await _h.AssertNoReportAsync();
        _h.Time.Advance(TimeSpan.FromSeconds(2));
        await _h.AssertNoReportAsync();

        var report = await _h.AdvanceAndReportAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(started + TimeSpan.FromSeconds(5), report.At);
        Assert.Equal(ProbeKind.Readiness, report.Kind);
        Assert.Equal(ProbeOutcome.Success, report.Result.Outcome);
        Assert.True(_h.Manager.IsReady("c1"));
        Assert.Equal(["uid-1"], _h.Changes);
        Assert.Equal("/ready", Assert.Single(_server.Requests).Target);

        // Then every period after the first run was due.
        var next = await _h.AdvanceAndReportAsync(Period);
        Assert.Equal(started + TimeSpan.FromSeconds(15), next.At);
    }

    [Fact]
    public async Task Readiness_FailureThreshold_FlipsReadyOnlyAfterThatManyFailures_ChangedOnlyOnChange()
    {
        _h.Manager.Track(ProbeTargets.Target(
            ProbeTargets.Container(readiness: ProbeTargets.HttpProbe(_server.Port, failureThreshold: 3)), _h.Now));
        await _h.NextReportAsync();
        Assert.True(_h.Manager.IsReady("c1"));
        Assert.Single(_h.Changes);

        Answer(503);
        for (var failure = 1; failure <= 2; failure++)
        {
            var report = await _h.AdvanceAndReportAsync(Period);
            Assert.Equal(ProbeOutcome.Failure, report.Result.Outcome);
            Assert.True(_h.Manager.IsReady("c1"), $"still ready after {failure} failure(s)");
        }
        Assert.Equal("Readiness probe failed: HTTP probe failed with statuscode: 503", _h.Manager.LastFailureMessage("c1"));

        await _h.AdvanceAndReportAsync(Period);
        Assert.False(_h.Manager.IsReady("c1"));
        Assert.Equal(2, _h.Changes.Count);

        await _h.AdvanceAndReportAsync(Period);
        Assert.Equal(2, _h.Changes.Count);

        Answer(200);
        await _h.AdvanceAndReportAsync(Period);
        Assert.True(_h.Manager.IsReady("c1"));
        Assert.Equal(3, _h.Changes.Count);
        Assert.Null(_h.Manager.LastFailureMessage("c1"));
        Assert.Empty(_h.Unhealthy);
    }

    [Fact]
    public async Task Readiness_SuccessThreshold_NeedsThatManyPassesInARow()
    {
        Answer(500);
        _h.Manager.Track(ProbeTargets.Target(
            ProbeTargets.Container(readiness: ProbeTargets.HttpProbe(_server.Port, successThreshold: 2)), _h.Now));
        await _h.NextReportAsync();
        Answer(200);
        await _h.AdvanceAndReportAsync(Period);
        Assert.False(_h.Manager.IsReady("c1"));
        Answer(500);
        await _h.AdvanceAndReportAsync(Period);
        Answer(200);
        await _h.AdvanceAndReportAsync(Period);
        Assert.False(_h.Manager.IsReady("c1"));

        await _h.AdvanceAndReportAsync(Period);
        Assert.True(_h.Manager.IsReady("c1"));
    }

    [Fact]
    public async Task Liveness_FailingThresholdTimes_RaisesUnhealthyOnce_ThenThatProbeHolds()
    {
        Answer(500);
        _h.Manager.Track(ProbeTargets.Target(
            ProbeTargets.Container(liveness: ProbeTargets.HttpProbe(_server.Port, "/healthz", failureThreshold: 2)), _h.Now));

        await _h.NextReportAsync();
        Assert.Empty(_h.Unhealthy);
        await _h.AdvanceAndReportAsync(Period);

        var (target, message) = Assert.Single(_h.Unhealthy);
        Assert.Equal("c1", target.ContainerId);
        Assert.Equal("Liveness probe failed: HTTP probe failed with statuscode: 500", message);
        // A container without a readiness probe stays ready until the pod worker kills it.
        Assert.True(_h.Manager.IsReady("c1"));

        for (var i = 0; i < 3; i++)
            _h.Time.Advance(Period);
        await _h.AssertNoReportAsync();
        Assert.Equal(2, _server.Requests.Count);
        Assert.Single(_h.Unhealthy);

        // The restarted container has a new id and is probed afresh.
        _h.Manager.Untrack("c1");
        _h.Manager.Track(ProbeTargets.Target(
            ProbeTargets.Container(liveness: ProbeTargets.HttpProbe(_server.Port, "/healthz", failureThreshold: 2)), _h.Now, "c2"));
        var report = await _h.NextReportAsync();
        Assert.Equal("c2", report.Target.ContainerId);
    }

    [Fact]
    public async Task Startup_GatesLivenessAndReadiness_UntilItSucceeds()
    {
        _server.Respond = r => new ServerReply(r.Target == "/startup" ? 500 : 200);
        _h.Manager.Track(ProbeTargets.Target(ProbeTargets.Container(
            liveness: ProbeTargets.HttpProbe(_server.Port, "/live"),
            readiness: ProbeTargets.HttpProbe(_server.Port, "/ready"),
            startup: ProbeTargets.HttpProbe(_server.Port, "/startup", period: 5, failureThreshold: 10)), _h.Now));

        Assert.False(_h.Manager.IsStarted("c1"));
        Assert.False(_h.Manager.IsReady("c1"));
        Assert.Equal(ProbeKind.Startup, (await _h.NextReportAsync()).Kind);
        Assert.Equal(ProbeKind.Startup, (await _h.AdvanceAndReportAsync(TimeSpan.FromSeconds(5))).Kind);
        Assert.False(_h.Manager.IsStarted("c1"));
        Assert.Empty(_h.Changes);

        _server.Respond = _ => new ServerReply(200);
        var success = await _h.AdvanceAndReportAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((ProbeKind.Startup, ProbeOutcome.Success), (success.Kind, success.Result.Outcome));
        Assert.True(_h.Manager.IsStarted("c1"));

        // Liveness and readiness start at once (their initial delay has passed); the startup probe runs no more.
        var kinds = new[] { (await _h.NextReportAsync()).Kind, (await _h.NextReportAsync()).Kind }.Order().ToArray();
        Assert.Equal([ProbeKind.Liveness, ProbeKind.Readiness], kinds);
        Assert.True(_h.Manager.IsReady("c1"));
        Assert.Equal(["/startup", "/startup", "/startup"], _server.Requests.Take(3).Select(r => r.Target));
        // Started, then ready: two changes (or one, when readiness settled before the first was raised).
        Assert.InRange(_h.Changes.Count, 1, 2);
    }

    [Fact]
    public async Task Startup_FailingThresholdTimes_RaisesUnhealthy_AndLivenessNeverRuns()
    {
        _server.Respond = r => new ServerReply(r.Target == "/startup" ? 500 : 200);
        _h.Manager.Track(ProbeTargets.Target(ProbeTargets.Container(
            liveness: ProbeTargets.HttpProbe(_server.Port, "/live"),
            startup: ProbeTargets.HttpProbe(_server.Port, "/startup", period: 1, failureThreshold: 3)), _h.Now));

        await _h.NextReportAsync();
        await _h.AdvanceAndReportAsync(TimeSpan.FromSeconds(1));
        Assert.Empty(_h.Unhealthy);
        await _h.AdvanceAndReportAsync(TimeSpan.FromSeconds(1));

        Assert.Equal("Startup probe failed: HTTP probe failed with statuscode: 500", Assert.Single(_h.Unhealthy).Message);
        _h.Time.Advance(Period);
        await _h.AssertNoReportAsync();
        Assert.All(_server.Requests, r => Assert.Equal("/startup", r.Target));
        Assert.False(_h.Manager.IsStarted("c1"));
    }

    [Fact]
    public async Task TcpSocket_RefusedPort_FailsWithTheKubeletMessage()
    {
        var port = ProbeTargets.ClosedPort();
        var probe = new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = port }, ["failureThreshold"] = 1 };
        _h.Manager.Track(ProbeTargets.Target(ProbeTargets.Container(liveness: probe), _h.Now));

        await _h.NextReportAsync();

        Assert.Equal($"Liveness probe failed: dial tcp 127.0.0.1:{port}: connect: connection refused",
            Assert.Single(_h.Unhealthy).Message);
    }

    [Fact]
    public async Task Untrack_StopsTheProbes_AndTrackTwiceIsOneWorker()
    {
        var target = ProbeTargets.Target(ProbeTargets.Container(readiness: ProbeTargets.HttpProbe(_server.Port)), _h.Now);
        _h.Manager.Track(target);
        _h.Manager.Track(target);
        await _h.NextReportAsync();
        await _h.AssertNoReportAsync();
        Assert.Single(_server.Requests);

        _h.Manager.Untrack("c1");
        _h.Time.Advance(Period);
        await _h.AssertNoReportAsync();
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Errors_AreNotCounted_AsFailures()
    {
        // A port name the container does not declare: the probe cannot run; the kubelet throws such results away.
        var probe = new JsonObject { ["httpGet"] = new JsonObject { ["port"] = "nope" }, ["failureThreshold"] = 1 };
        _h.Manager.Track(ProbeTargets.Target(ProbeTargets.Container(liveness: probe), _h.Now));

        var report = await _h.NextReportAsync();
        Assert.Equal(ProbeOutcome.Error, report.Result.Outcome);
        Assert.StartsWith("Liveness probe errored: couldn't find port: nope", report.EventMessage);
        await _h.AdvanceAndReportAsync(Period);
        Assert.Empty(_h.Unhealthy);
    }
}
