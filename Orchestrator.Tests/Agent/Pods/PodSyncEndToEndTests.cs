using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Model;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Agent.Pods;

/// <summary>
/// Issue 4 item 3 end to end: pods created with the real kubectl against the real API server are scheduled to the
/// real agent's node and run as containers on the real dockerd; their status, restarts, termination, the agent's
/// restart and orphan reaping are checked through kubectl and Docker.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(AgentClusterCollection.Name)]
public sealed class PodSyncEndToEndTests(AgentClusterFixture cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private const string Image = AgentClusterFixture.Image;
    private DockerClient Docker => cluster.Docker;

    [Fact]
    public async Task Pod_RunningWithPodIpAndReady()
    {
        await cluster.ApplyAsync($"""
            apiVersion: v1
            kind: Pod
            metadata: {"{"}name: ps-web{"}"}
            spec:
              containers:
              - name: web
                image: {Image}
                command: ["sh", "-c", "sleep 3600"]
            """);

        var pod = await WaitPodAsync("ps-web", p => Condition(p, "Ready") == "True", "Ready");

        Assert.Equal("Running", pod["status"].Str("phase"));
        Assert.Equal(AgentClusterFixture.NodeName, pod["spec"].Str("nodeName"));
        Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", pod["status"].Str("podIP"));
        Assert.Equal(pod["status"].Str("podIP"), pod["status"]!["podIPs"]![0].Str("ip"));
        Assert.Equal("127.0.0.1", pod["status"].Str("hostIP"));
        Assert.NotNull(pod["status"].Str("startTime"));
        var c = pod["status"]!["containerStatuses"]![0]!;
        Assert.True(c.Bool("ready"));
        Assert.True(c.Bool("started"));
        Assert.Matches("^docker://[0-9a-f]{64}$", c.Str("containerID"));
        Assert.Matches("^docker(-pullable)?://", c.Str("imageID"));
        Assert.Equal(Image, c.Str("image"));
        Assert.NotNull(c["state"]!["running"].Str("startedAt"));

        var wide = (await cluster.Kubectl.RunAsync("get", "pod", "ps-web", "-o", "wide")).Ok().StdOut;
        Assert.Contains("1/1", wide);
        Assert.Contains("Running", wide);
        Assert.Contains(pod["status"].Str("podIP")!, wide);

        // Only changes are written: a few resyncs later the pod is the same object version.
        var version = (await cluster.GetPodAsync("ps-web"))!["metadata"].Str("resourceVersion");
        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.Equal(version, (await cluster.GetPodAsync("ps-web"))!["metadata"].Str("resourceVersion"));

        var events = (await cluster.Kubectl.RunAsync("get", "events", "--field-selector", "involvedObject.name=ps-web", "-o", "json")).Ok().StdOut;
        var reasons = JsonNode.Parse(events)!["items"]!.AsArray().Select(e => e.Str("reason")).ToList();
        Assert.Contains("Created", reasons);
        Assert.Contains("Started", reasons);
        await DeleteAsync("ps-web");
    }

    [Fact]
    public async Task TwoContainerPod_TalksOverLocalhost()
    {
        await cluster.ApplyAsync($"""
            apiVersion: v1
            kind: Pod
            metadata: {"{"}name: ps-duo{"}"}
            spec:
              restartPolicy: OnFailure
              containers:
              - name: users
                image: {Image}
                command: ["sh", "-c", "mkdir -p /www && echo users-ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
              - name: auth
                image: {Image}
                command: ["sh", "-c", "for i in $(seq 1 60); do timeout 2 wget -qO- http://localhost:8080/index.html | grep -q users-ok && exit 0; sleep 1; done; exit 1"]
            """);

        var pod = await WaitPodAsync("ps-duo", p => Status(p, "auth")?["state"]?["terminated"] is not null, "auth finished");

        Assert.Equal(0, Status(pod, "auth")!["state"]!["terminated"].Long("exitCode"));
        Assert.NotNull(Status(pod, "users")!["state"]!["running"]);
        Assert.Equal("Running", pod["status"].Str("phase"));
        await DeleteAsync("ps-duo");
    }

    [Fact]
    public async Task NeverPolicy_SucceededAndFailedWithExitCodes()
    {
        await cluster.ApplyAsync(SimplePod("ps-ok", "Never", "echo fine"));
        await cluster.ApplyAsync(SimplePod("ps-bad", "Never", "exit 7"));

        var ok = await WaitPodAsync("ps-ok", p => p["status"].Str("phase") == "Succeeded", "Succeeded");
        var bad = await WaitPodAsync("ps-bad", p => p["status"].Str("phase") == "Failed", "Failed");

        Assert.Equal(0, Status(ok, "main")!["state"]!["terminated"].Long("exitCode"));
        Assert.Equal("Completed", Status(ok, "main")!["state"]!["terminated"].Str("reason"));
        Assert.Equal(7, Status(bad, "main")!["state"]!["terminated"].Long("exitCode"));
        Assert.Equal("Error", Status(bad, "main")!["state"]!["terminated"].Str("reason"));
        Assert.Equal(0, Status(bad, "main").Long("restartCount"));
        Assert.Contains("Completed", (await cluster.Kubectl.RunAsync("get", "pod", "ps-ok")).Ok().StdOut);
        // Nothing of a finished pod runs any more (the sandbox stopped too), but its containers stay for logs.
        await cluster.EventuallyAsync(async () =>
        {
            var containers = await PodContainersAsync(ok);
            return containers.Count > 0 && containers.All(c => c.State != "running") ? "" : null;
        }, Timeout, "finished pod's containers stopped");
        await DeleteAsync("ps-ok");
        await DeleteAsync("ps-bad");
    }

    [Fact]
    public async Task CrashingContainer_CrashLoopBackOffWithGrowingRestartCount()
    {
        await cluster.ApplyAsync(SimplePod("ps-crash", "Always", "echo crashing; exit 1"));

        var pod = await WaitPodAsync("ps-crash", p =>
            Status(p, "main")?["state"]?["waiting"].Str("reason") == "CrashLoopBackOff" && Status(p, "main").Long("restartCount") >= 2,
            "CrashLoopBackOff with 2 restarts");

        var c = Status(pod, "main")!;
        Assert.Matches(@"^back-off \d+s restarting failed container=main pod=ps-crash_default\(" + pod["metadata"].Str("uid") + @"\)$",
            c["state"]!["waiting"].Str("message"));
        Assert.Equal(1, c["lastState"]!["terminated"].Long("exitCode"));
        Assert.Contains("CrashLoopBackOff", (await cluster.Kubectl.RunAsync("get", "pod", "ps-crash")).Ok().StdOut);
        var events = (await cluster.Kubectl.RunAsync("get", "events", "--field-selector", "involvedObject.name=ps-crash,reason=BackOff", "-o", "json")).Ok().StdOut;
        Assert.NotEmpty(JsonNode.Parse(events)!["items"]!.AsArray());
        // The newest container and the previous one are kept, older ones removed.
        Assert.True((await PodContainersAsync(pod)).Count(x => x.Labels![PodContainerLabels.ContainerName] == "main") <= 2);
        await DeleteAsync("ps-crash");
    }

    [Fact]
    public async Task InitContainers_RunInOrderBeforeTheApp()
    {
        await cluster.ApplyAsync($"""
            apiVersion: v1
            kind: Pod
            metadata: {"{"}name: ps-init{"}"}
            spec:
              initContainers:
              - name: first
                image: {Image}
                command: ["sh", "-c", "sleep 2"]
              - name: second
                image: {Image}
                command: ["sh", "-c", "true"]
              containers:
              - name: app
                image: {Image}
                command: ["sh", "-c", "sleep 3600"]
            """);

        var pending = await WaitPodAsync("ps-init", p => p["status"]?["initContainerStatuses"]?[0]?["state"]?["running"] is not null, "first init running");
        Assert.Equal("Pending", pending["status"].Str("phase"));
        Assert.Equal("PodInitializing", Status(pending, "app")!["state"]!["waiting"].Str("reason"));
        Assert.Contains("Init:0/2", (await cluster.Kubectl.RunAsync("get", "pod", "ps-init")).Ok().StdOut);

        var pod = await WaitPodAsync("ps-init", p => p["status"].Str("phase") == "Running", "Running");
        var init = pod["status"]!["initContainerStatuses"]!.AsArray();
        Assert.All(init, s => Assert.Equal("Completed", s!["state"]!["terminated"].Str("reason")));
        var firstFinished = KubeTime.Parse(init[0]!["state"]!["terminated"].Str("finishedAt"))!.Value;
        var secondStarted = KubeTime.Parse(init[1]!["state"]!["terminated"].Str("startedAt"))!.Value;
        var appStarted = KubeTime.Parse(Status(pod, "app")!["state"]!["running"].Str("startedAt"))!.Value;
        Assert.True(secondStarted >= firstFinished && appStarted >= secondStarted, $"{firstFinished} {secondStarted} {appStarted}");
        await DeleteAsync("ps-init");
    }

    [Fact]
    public async Task MissingCommand_ClearReasonAndMessage()
    {
        await cluster.ApplyAsync($"""
            apiVersion: v1
            kind: Pod
            metadata: {"{"}name: ps-nocmd{"}"}
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: {Image}
                command: ["/no/such/binary"]
            """);

        var pod = await WaitPodAsync("ps-nocmd", p => p["status"].Str("phase") == "Failed", "Failed");

        var t = Status(pod, "main")!["state"]!["terminated"]!;
        Assert.Equal("ContainerCannotRun", t.Str("reason"));
        Assert.Contains("/no/such/binary", t.Str("message"));
        Assert.NotEqual(0, t.Long("exitCode"));
        await DeleteAsync("ps-nocmd");
    }

    [Fact]
    public async Task GracefulDeletion_SigtermReachesTheContainer_AndDeletionCompletes()
    {
        var marker = Path.Combine(cluster.AgentDataDir, "..", $"podsync-term-{Guid.NewGuid():N}");
        Directory.CreateDirectory(marker);
        try
        {
            await cluster.ApplyAsync($"""
                apiVersion: v1
                kind: Pod
                metadata: {"{"}name: ps-term{"}"}
                spec:
                  terminationGracePeriodSeconds: 30
                  containers:
                  - name: main
                    image: {Image}
                    command: ["sh", "-c", "trap 'echo got-SIGTERM > /out/term; exit 0' TERM; echo started; sleep 3600 & wait"]
                    volumeMounts:
                    - name: out
                      mountPath: /out
                  volumes:
                  - name: out
                    hostPath:
                      path: {Path.GetFullPath(marker)}
                """);
            var pod = await WaitPodAsync("ps-term", p => p["status"].Str("phase") == "Running", "Running");
            var ids = (await PodContainersAsync(pod)).Select(c => c.Id!).ToList();

            var watch = Stopwatch.StartNew();
            (await cluster.Kubectl.RunAsync("delete", "pod", "ps-term", "--wait=true", "--timeout=60s")).Ok();
            watch.Stop();

            // The trap ran (SIGTERM, not SIGKILL after the grace period), and the pod went well within it.
            Assert.Equal("got-SIGTERM", (await File.ReadAllTextAsync(Path.Combine(marker, "term"))).Trim());
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(25), $"deletion took {watch.Elapsed}");
            Assert.Contains("NotFound", (await cluster.Kubectl.RunAsync("get", "pod", "ps-term")).StdErr);
            foreach (var id in ids)
                Assert.Null(await Docker.TryInspectContainerAsync(id, default));
            Assert.False(Directory.Exists(Path.Combine(cluster.AgentDataDir, "pods", pod["metadata"].Str("uid")!)));
        }
        finally
        {
            Directory.Delete(marker, recursive: true);
        }
    }

    [Fact]
    public async Task AgentRestart_AdoptsRunningContainers_PodDeletedMeanwhileIsCleanedUp()
    {
        await cluster.ApplyAsync(SimplePod("ps-adopt", "Always", "sleep 3600"));
        await cluster.ApplyAsync(SimplePod("ps-gone", "Always", "sleep 3600"));
        var pod = await WaitPodAsync("ps-adopt", p => Condition(p, "Ready") == "True", "Ready");
        var gone = await WaitPodAsync("ps-gone", p => Condition(p, "Ready") == "True", "Ready");
        var before = (await PodContainersAsync(pod)).Where(c => c.State == "running").Select(c => c.Id).Order().ToList();
        var goneContainers = (await PodContainersAsync(gone)).Select(c => c.Id!).ToList();
        Assert.Equal(2, before.Count);

        await cluster.StopAgentAsync();
        // Deleted for good while the agent is away (force: the API does not wait for the node).
        (await cluster.Kubectl.RunAsync("delete", "pod", "ps-gone", "--grace-period=0", "--force")).Ok();
        await cluster.StartAgentAsync();

        // A few resyncs later: same containers, no restarts; the deleted pod's containers are gone.
        await cluster.EventuallyAsync(async () =>
        {
            foreach (var id in goneContainers)
                if (await Docker.TryInspectContainerAsync(id, default) is not null) return null;
            return "";
        }, Timeout, "containers of the pod deleted meanwhile removed");
        var after = await WaitPodAsync("ps-adopt", p => Condition(p, "Ready") == "True", "Ready after restart");
        Assert.Equal(before, (await PodContainersAsync(after)).Where(c => c.State == "running").Select(c => c.Id).Order().ToList());
        Assert.Equal(0, Status(after, "main").Long("restartCount"));
        Assert.Equal(Status(pod, "main").Str("containerID"), Status(after, "main").Str("containerID"));
        await DeleteAsync("ps-adopt");
    }

    [Fact]
    public async Task OrphanContainer_IsReaped_OtherNodesAndUnlabelledLeftAlone()
    {
        var uid = Guid.NewGuid().ToString();
        var run = Guid.NewGuid().ToString("N")[..8];
        var watch = Stopwatch.StartNew();
        var orphan = await CreateLabelledAsync($"podsync-orphan-{run}", PodContainerLabels.For(AgentClusterFixture.NodeName, "default", "nobody", uid, "main", "app", 0));
        var foreign = await CreateLabelledAsync($"podsync-foreign-{run}", PodContainerLabels.For("podsync-other-node", "default", "nobody", uid, "main", "app", 0));
        var unmanaged = await CreateLabelledAsync($"podsync-unmanaged-{run}", new Dictionary<string, string> { [PodContainerLabels.Node] = AgentClusterFixture.NodeName });
        try
        {
            await cluster.EventuallyAsync(async () => await Docker.TryInspectContainerAsync(orphan, default) is null ? "" : null, Timeout, "orphan reaped");
            Assert.True(watch.Elapsed >= AgentClusterFixture.OrphanGracePeriod - TimeSpan.FromSeconds(1), $"reaped after {watch.Elapsed}, before the grace period");
            Assert.NotNull(await Docker.TryInspectContainerAsync(foreign, default));
            Assert.NotNull(await Docker.TryInspectContainerAsync(unmanaged, default));
        }
        finally
        {
            foreach (var id in new[] { orphan, foreign, unmanaged })
            {
                try { await Docker.RemoveContainerAsync(id, force: true, volumes: true, default); }
                catch (DockerApiException) { }
            }
        }
    }

    [Fact]
    public async Task Probes_ReadinessGatesReady_LivenessFailureRestarts()
    {
        await cluster.ApplyAsync($"""
            apiVersion: v1
            kind: Pod
            metadata: {"{"}name: ps-probes{"}"}
            spec:
              terminationGracePeriodSeconds: 2
              containers:
              - name: main
                image: {Image}
                command: ["sh", "-c", "touch /tmp/alive; sleep 4; touch /tmp/ready; sleep 5; rm /tmp/alive; sleep 3600"]
                readinessProbe:
                  exec: {"{"}command: ["test", "-f", "/tmp/ready"]{"}"}
                  periodSeconds: 1
                livenessProbe:
                  exec: {"{"}command: ["test", "-f", "/tmp/alive"]{"}"}
                  periodSeconds: 1
                  failureThreshold: 2
            """);

        var unready = await WaitPodAsync("ps-probes", p => Status(p, "main")?["state"]?["running"] is not null, "running");
        Assert.Equal("False", Condition(unready, "Ready"));
        Assert.Equal("containers with unready status: [main]",
            (unready["status"]!["conditions"] as JsonArray)!.First(c => c.Str("type") == "Ready").Str("message"));
        var ready = await WaitPodAsync("ps-probes", p => Condition(p, "Ready") == "True", "Ready once the probe passes");
        var firstId = Status(ready, "main").Str("containerID")!;

        // The liveness file goes 5 s later: two failed runs after that the container is killed and started again.
        var restarted = await WaitPodAsync("ps-probes", p => Status(p, "main").Long("restartCount") >= 1 && Status(p, "main")?["state"]?["running"] is not null, "restarted");
        Assert.NotEqual(firstId, Status(restarted, "main").Str("containerID"));
        Assert.Equal(firstId, Status(restarted, "main")!["lastState"]!["terminated"].Str("containerID"));
        var events = JsonNode.Parse((await cluster.Kubectl.RunAsync("get", "events", "--field-selector", "involvedObject.name=ps-probes", "-o", "json")).Ok().StdOut)!["items"]!.AsArray();
        Assert.Contains(events, e => e.Str("reason") == "Unhealthy" && e.Str("message")!.StartsWith("Liveness probe failed", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Str("reason") == "Killing" && e.Str("message") == "Container main failed liveness probe, will be restarted");
        await DeleteAsync("ps-probes");
    }

    [Fact]
    public async Task ImageChange_ReplacesTheContainer()
    {
        var newImage = $"podsync-test/busybox:{Guid.NewGuid().ToString("N")[..8]}";
        await Support.DockerDaemon.RunAsync("docker", ["tag", Image, newImage], default);
        try
        {
            await cluster.ApplyAsync(SimplePod("ps-image", "Always", "sleep 3600"));
            var before = await WaitPodAsync("ps-image", p => Condition(p, "Ready") == "True", "Ready");

            (await cluster.Kubectl.RunAsync("set", "image", "pod/ps-image", $"main={newImage}")).Ok();

            var after = await WaitPodAsync("ps-image", p => Status(p, "main").Str("image") == newImage
                                                           && Status(p, "main")?["state"]?["running"] is not null
                                                           && Status(p, "main").Str("containerID") != Status(before, "main").Str("containerID"), "replaced");
            Assert.Equal(1, Status(after, "main").Long("restartCount"));
            var running = (await PodContainersAsync(after)).Where(c => c.State == "running" && c.Labels![PodContainerLabels.ContainerName] == "main").ToList();
            Assert.Equal(newImage, Assert.Single(running).Image);
            await DeleteAsync("ps-image");
        }
        finally
        {
            await Support.DockerDaemon.RunAsync("docker", ["rmi", newImage], default);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static string SimplePod(string name, string restartPolicy, string script) => $"""
        apiVersion: v1
        kind: Pod
        metadata: {"{"}name: {name}{"}"}
        spec:
          restartPolicy: {restartPolicy}
          terminationGracePeriodSeconds: 5
          containers:
          - name: main
            image: {Image}
            command: ["sh", "-c", "{script}"]
        """;

    private async Task DeleteAsync(string name) =>
        (await cluster.Kubectl.RunAsync("delete", "pod", name, "--wait=true", "--timeout=60s", "--ignore-not-found")).Ok();

    private Task<JsonObject> WaitPodAsync(string name, Func<JsonObject, bool> done, string what) =>
        cluster.EventuallyAsync(async () => await cluster.GetPodAsync(name) is { } p && done(p) ? p : null, Timeout, $"pod {name}: {what}");

    private static JsonNode? Status(JsonObject pod, string container) =>
        (pod["status"]?["containerStatuses"] as JsonArray)?.FirstOrDefault(s => s.Str("name") == container);

    private static string? Condition(JsonObject pod, string type) =>
        (pod["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => c.Str("type") == type).Str("status");

    private Task<List<ContainerSummary>> PodContainersAsync(JsonObject pod) =>
        Docker.ListContainersByLabelAsync([$"{PodContainerLabels.Node}={AgentClusterFixture.NodeName}", $"{PodContainerLabels.PodUid}={pod["metadata"].Str("uid")}"], all: true, default);

    private async Task<string> CreateLabelledAsync(string name, Dictionary<string, string> labels)
    {
        labels[PodContainerLabels.GracePeriod] = "1";
        var id = await Docker.CreateContainerAsync(name, new ContainerCreateRequest { Image = Image, Cmd = ["sleep", "3600"], Labels = labels }, default);
        await Docker.StartContainerAsync(id, default);
        return id;
    }
}
