using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Node;
using Orchestrator.Agent.Pods;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Client;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Agent.Pods.Doubles;
using Orchestrator.Tests.Agent.Runtime;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Pods;

/// <summary>
/// The pod worker against the real dockerd and an in-process API (storage, admission, graceful deletion), with
/// small stand-ins for the spec, image, network and probe services. Each test drives syncs by hand, as the loop
/// would on its triggers, and checks both Docker and the pod's status.
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Category", "Docker")]
public sealed class PodWorkerDockerTests : IAsyncLifetime
{
    private const string Node = "podsync-unit-node";
    private const string TestLabelKey = "orchestrator.test/podsync-run";

    private readonly DockerFixture _fixture;
    private readonly TestCluster _cluster = new();
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private readonly string _dataDir = Directory.CreateTempSubdirectory("podsync-").FullName;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private readonly NodePodIndex _index = new();
    private readonly RecordingProbeManager _probes = new();
    private readonly NoLifecycleHandlers _hooks = new();
    private readonly PodSyncOptions _options = new() { OrphanGracePeriod = TimeSpan.FromSeconds(2) };
    private PodWorker _worker;

    public PodWorkerDockerTests(DockerFixture fixture)
    {
        _fixture = fixture;
        _worker = NewWorker();
    }

    private DockerClient Docker => _fixture.Client;
    private CancellationToken Ct => _timeout.Token;

    private PodWorker NewWorker()
    {
        var identity = new NodeIdentity(Node, IPAddress.Parse("192.0.2.10"), "amd64", "machine");
        var paths = new PodSyncPaths(new AgentOptions { Server = new Uri("https://127.0.0.1:6443"), TokenFile = "unused", DataDir = _dataDir });
        var volumes = new FakePodVolumes();
        var events = new PodEvents(_cluster.Client, TimeProvider.System, NullLoggerFactory.Instance);
        var terminator = new PodTerminator(Docker, _cluster.Client, volumes, _probes, _hooks, events, paths, TimeProvider.System,
            NullLogger<PodTerminator>.Instance);
        return new PodWorker(_index, new PodContainerObserver(Docker, identity), Docker,
            new BusyboxContainerConfigFactory(Node, TestLabelKey, _run), volumes, new LocalImageManager(Docker, DockerFixture.Image),
            new FixedPodNetwork(), _probes, _hooks, terminator, new PodStatusWriter(_cluster.Client, NullLogger<PodStatusWriter>.Instance),
            new CrashLoopBackoff(TimeProvider.System), events, paths, identity, Options.Create(_options), TimeProvider.System,
            NullLogger<PodWorker>.Instance);
    }

    public Task InitializeAsync()
    {
        _index.MarkSynced();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await DockerFixture.RemoveLabelledAsync(Docker, $"{TestLabelKey}={_run}", cts.Token);
        await _cluster.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
        _timeout.Dispose();
    }

    // ---- scenarios --------------------------------------------------------------------------------------------

    [Fact]
    public async Task Pod_RunsWithSandboxIpAndReady_AndResyncChangesNothing()
    {
        var uid = await CreatePodAsync("web", "Always", Container("app", "sleep 3600"));

        var pod = await SyncUntilAsync(uid, p => p["status"].Str("phase") == "Running" && Ready(p));

        var status = pod["status"]!;
        Assert.Matches(@"^172\.|^10\.|^192\.168\.", status.Str("podIP"));
        Assert.Equal("192.0.2.10", status.Str("hostIP"));
        var c = status["containerStatuses"]![0]!;
        Assert.StartsWith("docker://", c.Str("containerID"));
        Assert.Equal("docker://sha256:", c.Str("imageID")![..16]);
        Assert.Equal(0, c.Long("restartCount"));
        var containers = await OurContainersAsync(uid);
        Assert.Equal(2, containers.Count(c => c.State == "running"));
        Assert.Contains(containers, c => c.Names!.Contains($"/k8s_POD_web_default_{uid}_0"));
        Assert.Contains(containers, c => c.Names!.Contains($"/k8s_app_web_default_{uid}_0"));
        Assert.True(_probes.Tracked.ContainsKey(c.Str("containerID")!["docker://".Length..]));

        // Level-triggered and idempotent: more syncs, even by a fresh worker (an agent restart), adopt and keep.
        _worker = NewWorker();
        for (var i = 0; i < 3; i++) await SyncAsync(uid);
        var after = await OurContainersAsync(uid);
        Assert.Equal(containers.Select(c => c.Id).Order(), after.Select(c => c.Id).Order());
        Assert.Equal(0, (await GetPodAsync(uid))["status"]!["containerStatuses"]![0].Long("restartCount"));
    }

    [Fact]
    public async Task NeverPolicy_SuccessAndFailure_TerminalPhaseWithExitCodes_SandboxStopped()
    {
        var ok = await CreatePodAsync("ok", "Never", Container("app", "echo done"));
        var bad = await CreatePodAsync("bad", "Never", Container("app", "exit 3"));

        var okPod = await SyncUntilAsync(ok, p => p["status"].Str("phase") == "Succeeded");
        var badPod = await SyncUntilAsync(bad, p => p["status"].Str("phase") == "Failed");

        Assert.Equal(0, okPod["status"]!["containerStatuses"]![0]!["state"]!["terminated"].Long("exitCode"));
        Assert.Equal("Completed", okPod["status"]!["containerStatuses"]![0]!["state"]!["terminated"].Str("reason"));
        var t = badPod["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!;
        Assert.Equal(3, t.Long("exitCode"));
        Assert.Equal("Error", t.Str("reason"));
        await SyncAsync(bad);
        Assert.DoesNotContain(await OurContainersAsync(bad), c => c.State == "running");
        // Kept (for logs) until the pod is deleted, and never restarted.
        Assert.Single(await OurContainersAsync(bad), c => c.Labels![PodContainerLabels.ContainerName] == "app");
    }

    [Fact]
    public async Task AlwaysPolicy_CrashingContainer_RestartsThenCrashLoopBackOff()
    {
        var uid = await CreatePodAsync("crash", "Always", Container("app", "exit 1"));

        var pod = await SyncUntilAsync(uid, p =>
            p["status"]!["containerStatuses"]?[0]?["state"]?["waiting"].Str("reason") == "CrashLoopBackOff");

        var c = pod["status"]!["containerStatuses"]![0]!;
        Assert.True(c.Long("restartCount") >= 1);
        Assert.Equal($"back-off 10s restarting failed container=app pod=crash_default({uid})", c["state"]!["waiting"].Str("message"));
        Assert.Equal(1, c["lastState"]!["terminated"].Long("exitCode"));
        Assert.Equal("Running", pod["status"].Str("phase"));
        // Only the newest and the previous run are kept.
        Assert.True((await OurContainersAsync(uid)).Count(x => x.Labels![PodContainerLabels.ContainerName] == "app") <= 2);
    }

    [Theory]
    [InlineData("Never")]
    [InlineData("OnFailure")]
    public async Task MissingCommand_RunContainerErrorThenContainerCannotRun(string policy)
    {
        var uid = await CreatePodAsync("nocmd", policy, new JsonObject
        {
            ["name"] = "app",
            ["image"] = DockerFixture.Image,
            ["command"] = new JsonArray("/no/such/command"),
        });

        await SyncAsync(uid);
        var c = (await GetPodAsync(uid))["status"]!["containerStatuses"]![0]!;
        if (policy == "Never")
        {
            // It will never run: terminated at once, with Docker's reason, and the pod has failed.
            var t = c["state"]!["terminated"]!;
            Assert.Equal("ContainerCannotRun", t.Str("reason"));
            Assert.Contains("/no/such/command", t.Str("message"));
            Assert.NotEqual(0, t.Long("exitCode"));
            Assert.Equal("Failed", (await GetPodAsync(uid))["status"].Str("phase"));
        }
        else
        {
            // It will be tried again: waiting with Docker's message, then the crash-loop back-off.
            Assert.Equal("RunContainerError", c["state"]!["waiting"].Str("reason"));
            Assert.Contains("/no/such/command", c["state"]!["waiting"].Str("message"));
            var pod = await SyncUntilAsync(uid, p => p["status"]!["containerStatuses"]![0]!["state"]!["waiting"].Str("reason") == "CrashLoopBackOff");
            var last = pod["status"]!["containerStatuses"]![0]!["lastState"]!["terminated"]!;
            Assert.Equal("ContainerCannotRun", last.Str("reason"));
            Assert.Equal("Running", pod["status"].Str("phase"));
        }
    }

    [Fact]
    public async Task InitContainers_RunInOrderToCompletion_ThenTheApp()
    {
        var uid = await CreatePodAsync("init", "Always", Container("app", "sleep 3600"),
            [Container("first", "sleep 1"), Container("second", "true")]);

        var pod = await SyncUntilAsync(uid, p => p["status"].Str("phase") == "Running");

        var init = pod["status"]!["initContainerStatuses"]!.AsArray();
        Assert.All(init, s => Assert.Equal("Completed", s!["state"]!["terminated"].Str("reason")));
        var firstFinished = KubeTime.Parse(init[0]!["state"]!["terminated"].Str("finishedAt"))!.Value;
        var secondStarted = KubeTime.Parse(init[1]!["state"]!["terminated"].Str("startedAt"))!.Value;
        Assert.True(secondStarted >= firstFinished, $"second started {secondStarted} before first finished {firstFinished}");
        Assert.Equal("True", pod["status"]!["conditions"]!.AsArray().Single(c => c.Str("type") == "Initialized").Str("status"));
    }

    [Fact]
    public async Task FailedInitContainer_NeverPolicy_FailsThePod()
    {
        var uid = await CreatePodAsync("initfail", "Never", Container("app", "sleep 3600"), [Container("setup", "exit 4")]);

        var pod = await SyncUntilAsync(uid, p => p["status"].Str("phase") == "Failed");

        Assert.Equal(4, pod["status"]!["initContainerStatuses"]![0]!["state"]!["terminated"].Long("exitCode"));
        Assert.DoesNotContain(await OurContainersAsync(uid), c => c.Labels![PodContainerLabels.ContainerName] == "app");
    }

    [Fact]
    public async Task ConfigError_WaitingWithReasonAndMessage()
    {
        var uid = await CreatePodAsync("cfg", "Always", new JsonObject { ["name"] = "app", ["image"] = "missing-config" });

        var pod = await SyncUntilAsync(uid, p => p["status"]!["containerStatuses"]?[0]?["state"]?["waiting"].Str("reason") == "ErrImageNeverPull");

        Assert.Contains("missing-config", pod["status"]!["containerStatuses"]![0]!["state"]!["waiting"].Str("message"));
        Assert.Equal("Pending", pod["status"].Str("phase"));
    }

    [Fact]
    public async Task LivenessFailure_KillsAndRestarts()
    {
        var uid = await CreatePodAsync("live", "Always", Container("app", "sleep 3600"));
        var pod = await SyncUntilAsync(uid, p => p["status"].Str("phase") == "Running");
        var id = pod["status"]!["containerStatuses"]![0].Str("containerID")!["docker://".Length..];

        _worker.RequestKill(uid, id, "Liveness probe failed: test");
        pod = await SyncUntilAsync(uid, p => p["status"]!["containerStatuses"]![0].Long("restartCount") == 1
                                            && p["status"]!["containerStatuses"]![0]!["state"]!["running"] is not null);

        Assert.NotEqual(id, pod["status"]!["containerStatuses"]![0].Str("containerID")!["docker://".Length..]);
        Assert.Equal("docker://" + id, pod["status"]!["containerStatuses"]![0]!["lastState"]!["terminated"].Str("containerID"));
    }

    [Fact]
    public async Task GracefulDeletion_StopsRemovesAndConfirms()
    {
        var uid = await CreatePodAsync("bye", "Always", Container("app", "trap 'exit 0' TERM; sleep 3600 & wait"));
        await SyncUntilAsync(uid, p => p["status"].Str("phase") == "Running");

        await _cluster.Client.DeleteAsync(Kinds.Pod, "default", "bye", new DeleteRequest(GracePeriodSeconds: 20), Ct);
        var marked = await _cluster.Client.GetAsync(Kinds.Pod, "default", "bye", Ct);
        Assert.NotNull(marked!["metadata"]!["deletionTimestamp"]);
        _index.Upsert(marked);

        await _worker.SyncAsync(uid, Ct);

        Assert.Null(await _cluster.Client.GetAsync(Kinds.Pod, "default", "bye", Ct));
        Assert.Empty(await OurContainersAsync(uid));
        Assert.False(Directory.Exists(Path.Combine(_dataDir, "pods", uid)));
    }

    [Fact]
    public async Task Orphans_RemovedAfterGrace_DeletedPodsAtOnce_OtherNodesUntouched()
    {
        var uid = await CreatePodAsync("orphan", "Always", Container("app", "sleep 3600"));
        await SyncUntilAsync(uid, p => p["status"].Str("phase") == "Running");
        var foreign = await Docker.CreateContainerAsync($"podsync-foreign-{_run}", new ContainerCreateRequest
        {
            Image = DockerFixture.Image,
            Cmd = ["sleep", "3600"],
            Labels = new Dictionary<string, string>(PodContainerLabels.For("another-node", "default", "orphan", uid, "app", "app", 0))
            {
                [TestLabelKey] = _run,
            },
        }, Ct);

        // The pod vanishes without us seeing its deletion (the agent was down): kept for the grace period…
        var pod = _index.Get(uid)!;
        _index.Remove(pod);
        _index.Forget(uid);
        var again = await _worker.SyncAsync(uid, Ct);
        Assert.NotNull(again);
        Assert.NotEmpty(await OurContainersAsync(uid));

        // …then stopped and removed.
        await Task.Delay(again!.Value, Ct);
        await _worker.SyncAsync(uid, Ct);
        Assert.Empty(await OurContainersAsync(uid));
        Assert.NotNull(await Docker.TryInspectContainerAsync(foreign, Ct));

        // A pod whose deletion we saw goes at once.
        var seen = await CreatePodAsync("seen", "Always", Container("app", "sleep 3600"));
        await SyncUntilAsync(seen, p => p["status"].Str("phase") == "Running");
        _index.Remove(_index.Get(seen)!);
        Assert.Null(await _worker.SyncAsync(seen, Ct));
        Assert.Empty(await OurContainersAsync(seen));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static JsonObject Container(string name, string script) => new()
    {
        ["name"] = name,
        ["image"] = DockerFixture.Image,
        ["command"] = new JsonArray("sh", "-c", script),
    };

    private async Task<string> CreatePodAsync(string name, string restartPolicy, JsonObject container, JsonObject[]? init = null)
    {
        var spec = new JsonObject
        {
            ["nodeName"] = Node,
            ["restartPolicy"] = restartPolicy,
            ["terminationGracePeriodSeconds"] = 5,
            ["containers"] = new JsonArray(container),
        };
        if (init != null) spec["initContainers"] = new JsonArray(init.Select(i => (JsonNode)i).ToArray());
        var pod = await _cluster.Client.CreateAsync(Kinds.Pod, "default", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = spec,
        }, Ct);
        _index.Upsert(pod);
        return pod.Uid()!;
    }

    private async Task<JsonObject> GetPodAsync(string uid)
    {
        var pod = _index.Get(uid)!;
        return (await _cluster.Client.GetAsync(Kinds.Pod, pod.Namespace(), pod.Name()!, Ct))!;
    }

    /// <summary>One sync, then the index gets the pod as stored (the informer's part).</summary>
    private async Task SyncAsync(string uid)
    {
        await _worker.SyncAsync(uid, Ct);
        if (_index.Get(uid) is { } cached && await _cluster.Client.GetAsync(Kinds.Pod, cached.Namespace(), cached.Name()!, Ct) is { } fresh)
            _index.Upsert(fresh);
    }

    private async Task<JsonObject> SyncUntilAsync(string uid, Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonObject pod;
        while (true)
        {
            await SyncAsync(uid);
            pod = await GetPodAsync(uid);
            if (done(pod)) return pod;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException("pod never got there; status:\n" + pod["status"]?.ToJsonString());
            await Task.Delay(300, Ct);
        }
    }

    private static bool Ready(JsonObject pod) =>
        pod["status"]?["conditions"]?.AsArray().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") == true;

    private Task<List<ContainerSummary>> OurContainersAsync(string uid) =>
        Docker.ListContainersByLabelAsync([$"{PodContainerLabels.Node}={Node}", $"{PodContainerLabels.PodUid}={uid}"], all: true, Ct);
}
