using System.Net;
using System.Text;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Tests.Agent.Runtime;

[Collection(DockerCollection.Name)]
[Trait("Category", "Docker")]
public sealed class DockerClientContainerTests(DockerFixture fixture) : DockerTestBase(fixture)
{
    [Fact]
    public async Task VersionAndInfo_DescribeTheDaemon()
    {
        var version = await Docker.GetVersionAsync(Ct);
        var info = await Docker.GetInfoAsync(Ct);

        Assert.False(string.IsNullOrEmpty(version.Version));
        Assert.False(string.IsNullOrEmpty(version.ApiVersion));
        Assert.Equal("linux", version.Os);
        Assert.True(info.NCPU > 0);
        Assert.True(info.MemTotal > 0);
        Assert.Equal(version.Version, info.ServerVersion);
        Assert.True(await Docker.PingAsync(Ct));
    }

    [Fact]
    public async Task CreateStartWait_ExitCodeInspectAndDemultiplexedLogs()
    {
        var request = Shell("echo hi; echo err >&2; exit 3", ("app", "demo"));
        request.Env = ["GREETING=hello"];
        request.WorkingDir = "/tmp";
        request.Hostname = "pod-a";
        request.StopSignal = "SIGINT";
        request.HostConfig!.Memory = 64 * 1024 * 1024;
        request.HostConfig.NanoCpus = 500_000_000;
        request.HostConfig.CapDrop = ["NET_RAW"];
        request.HostConfig.Dns = ["10.96.0.10"];
        request.HostConfig.DnsSearch = ["default.svc.cluster.local"];
        request.HostConfig.DnsOptions = ["ndots:5"];
        request.HostConfig.ExtraHosts = ["db.local:10.0.0.9"];
        var id = await CreateAsync(request);

        var created = await Docker.InspectContainerAsync(id, Ct);
        Assert.Equal("created", created.State!.Status);
        Assert.False(created.State.Running);

        await Docker.StartContainerAsync(id, Ct);
        var exitCode = await Docker.WaitContainerAsync(id, WaitCondition.NotRunning, Ct);

        Assert.Equal(3, exitCode);
        var inspect = await Docker.InspectContainerAsync(id, Ct);
        Assert.Equal(id, inspect.Id);
        Assert.Equal("exited", inspect.State!.Status);
        Assert.Equal(3, inspect.State.ExitCode);
        Assert.False(inspect.State.OOMKilled);
        // Both set (not Docker's zero time); no ordering asserted: for a process this short Docker may record
        // StartedAt after FinishedAt.
        Assert.True(DateTimeOffset.Parse(inspect.State.StartedAt!).Year > 2000);
        Assert.True(DateTimeOffset.Parse(inspect.State.FinishedAt!).Year > 2000);
        Assert.StartsWith("sha256:", inspect.Image);
        Assert.Equal("demo", inspect.Config!.Labels!["app"]);
        Assert.Contains("GREETING=hello", inspect.Config.Env!);
        Assert.Equal("pod-a", inspect.Config.Hostname);
        Assert.Equal("SIGINT", inspect.Config.StopSignal);
        Assert.Equal(64 * 1024 * 1024, inspect.HostConfig!.Memory);
        Assert.Equal(500_000_000, inspect.HostConfig.NanoCpus);
        Assert.Equal(["10.96.0.10"], inspect.HostConfig.Dns!);

        var (stdout, stderr) = await LogsAsync(id);
        Assert.Equal("hi\n", stdout);
        Assert.Equal("err\n", stderr);

        var (noStdout, onlyErr) = await LogsAsync(id, new LogsOptions { Stdout = false, Tail = 10 });
        Assert.Equal("", noStdout);
        Assert.Equal("err\n", onlyErr);

        await Docker.RemoveContainerAsync(id, force: false, volumes: true, Ct);
        Assert.Null(await Docker.TryInspectContainerAsync(id, Ct));
    }

    [Fact]
    public async Task Logs_Follow_ReceivesLinesAsTheyAreWritten()
    {
        // The container writes a line every 300 ms; following must deliver the first lines long before it exits.
        var id = await RunAsync(Shell("for i in 1 2 3 4 5; do echo line$i; sleep 0.3; done"));
        var started = DateTime.UtcNow;
        var seen = new List<(string Line, TimeSpan At)>();
        var text = new StringBuilder();
        await foreach (var frame in Docker.GetLogsAsync(id, new LogsOptions { Follow = true, Timestamps = true }, Ct))
        {
            Assert.Equal(StdStream.Stdout, frame.Stream);
            text.Append(Encoding.UTF8.GetString(frame.Data));
            foreach (var line in text.ToString().Split('\n')[..^1].Skip(seen.Count))
                seen.Add((line, DateTime.UtcNow - started));
        }

        Assert.Equal(5, seen.Count);
        Assert.All(seen.Select((s, i) => (s.Line, i)), p => Assert.EndsWith($" line{p.i + 1}", p.Line));
        // Timestamps are RFC 3339 with nanoseconds before the space.
        Assert.True(DateTimeOffset.TryParse(seen[0].Line.Split(' ')[0], out _), seen[0].Line);
        Assert.True(seen[^1].At - seen[0].At > TimeSpan.FromMilliseconds(600), "lines arrived as they were written");

        // Tail and since filter what was written.
        var (tail, _) = await LogsAsync(id, new LogsOptions { Tail = 2 });
        Assert.Equal("line4\nline5\n", tail);
        var (future, _) = await LogsAsync(id, new LogsOptions { Since = DateTimeOffset.UtcNow.AddMinutes(1) });
        Assert.Equal("", future);
    }

    [Fact]
    public async Task Logs_Tty_AreRaw()
    {
        var request = Shell("printf 'a\\tb\\n'; echo tty-err >&2");
        request.Tty = true;
        var id = await RunAsync(request);
        await Docker.WaitContainerAsync(id, WaitCondition.NotRunning, Ct);

        var (stdout, stderr) = await LogsAsync(id);

        Assert.Equal("", stderr);
        Assert.Equal("a\tb\r\ntty-err\r\n", stdout);
    }

    [Fact]
    public async Task Stop_WithTimeout_KillsAfterTheGracePeriod_AndKillSendsTheSignal()
    {
        // PID 1 ignores SIGTERM unless it traps it; this one says so and keeps running.
        var stubborn = await RunAsync(Shell("trap 'echo got-term' TERM; while true; do sleep 0.1; done"));
        var before = DateTime.UtcNow;
        await Docker.StopContainerAsync(stubborn, TimeSpan.FromSeconds(1), Ct);
        var stopped = await Docker.InspectContainerAsync(stubborn, Ct);
        Assert.False(stopped.State!.Running);
        Assert.Equal(137, stopped.State.ExitCode);
        Assert.True(DateTime.UtcNow - before >= TimeSpan.FromSeconds(1));
        Assert.Contains("got-term", (await LogsAsync(stubborn)).Stdout);
        // Stopping again is not an error.
        await Docker.StopContainerAsync(stubborn, TimeSpan.FromSeconds(1), Ct);

        var polite = await RunAsync(Shell("trap 'exit 0' TERM; while true; do sleep 0.1; done"));
        await Task.Delay(300, Ct);
        await Docker.StopContainerAsync(polite, TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(0, (await Docker.InspectContainerAsync(polite, Ct)).State!.ExitCode);

        var killed = await RunAsync(Shell("trap 'exit 9' USR1; while true; do sleep 0.1; done"));
        await Task.Delay(300, Ct);
        await Docker.KillContainerAsync(killed, "SIGUSR1", Ct);
        Assert.Equal(9, await Docker.WaitContainerAsync(killed, WaitCondition.NotRunning, Ct));
        var notRunning = await Assert.ThrowsAsync<DockerApiException>(() => Docker.KillContainerAsync(killed, "SIGKILL", Ct));
        Assert.True(notRunning.IsConflict, notRunning.Message);
    }

    [Fact]
    public async Task List_ByLabelFilter_FindsOnlyMatchingContainers()
    {
        var a = await CreateAsync(Shell("true", ("pod", "a"), ("tier", "web")));
        var b = await CreateAsync(Shell("true", ("pod", "b"), ("tier", "web")));
        var running = await RunAsync(Shell("sleep 30", ("pod", "c"), ("tier", "web")));

        var web = await Docker.ListContainersByLabelAsync([RunLabel, "tier=web"], all: true, Ct);
        var onlyA = await Docker.ListContainersByLabelAsync([RunLabel, "pod=a"], all: true, Ct);
        var runningOnly = await Docker.ListContainersByLabelAsync([RunLabel, "tier"], all: false, Ct);

        Assert.Equal(new[] { a, b, running }.Order(), web.Select(c => c.Id!).Order());
        Assert.Equal([a], onlyA.Select(c => c.Id!));
        Assert.Equal("created", onlyA[0].State);
        Assert.Equal("a", onlyA[0].Labels!["pod"]);
        Assert.Equal(DockerFixture.Image, onlyA[0].Image);
        Assert.Equal([running], runningOnly.Select(c => c.Id!));
    }

    [Fact]
    public async Task Missing_Objects_AreNotFound()
    {
        var container = await Assert.ThrowsAsync<DockerApiException>(() => Docker.InspectContainerAsync("orch-test-no-such-container", Ct));
        var image = await Assert.ThrowsAsync<DockerApiException>(() => Docker.InspectImageAsync("orchestrator-test/no-such-image:1", Ct));
        var network = await Assert.ThrowsAsync<DockerApiException>(() => Docker.InspectNetworkAsync("orch-test-no-such-network", Ct));
        var exec = await Assert.ThrowsAsync<DockerApiException>(() => Docker.InspectExecAsync("0123456789abcdef", Ct));
        var start = await Assert.ThrowsAsync<DockerApiException>(() => Docker.StartExecAsync("0123456789abcdef", false, Ct));
        var create = await Assert.ThrowsAsync<DockerApiException>(() => CreateAsync(new ContainerCreateRequest
        {
            Image = "orchestrator-test/no-such-image:1",
            Labels = Labels(),
        }));

        foreach (var e in new[] { container, image, network, exec, start, create })
        {
            Assert.True(e.IsNotFound, e.Message);
            Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
            Assert.False(string.IsNullOrWhiteSpace(e.DockerMessage));
        }
        Assert.Contains("orch-test-no-such-container", container.DockerMessage);
        Assert.Null(await Docker.TryInspectImageAsync("orchestrator-test/no-such-image:1", Ct));
    }

    [Fact]
    public async Task Create_DuplicateName_IsConflict()
    {
        var name = $"orch-test-{RunId}-dup";
        await CreateAsync(Shell("true"), name);

        var e = await Assert.ThrowsAsync<DockerApiException>(() => CreateAsync(Shell("true"), name));

        Assert.True(e.IsConflict, e.Message);
    }

    [Fact]
    public async Task Pull_FromUnreachableRegistry_FailsWithAClearError()
    {
        // 127.0.0.1:1 refuses connections: nothing leaves the machine.
        var e = await Assert.ThrowsAsync<DockerApiException>(() =>
            Docker.PullImageAsync("127.0.0.1:1/none:1", new RegistryAuth { Username = "u", Password = "p" }, null, Ct));

        Assert.Contains("127.0.0.1:1", e.DockerMessage);
        Assert.Null(await Docker.TryInspectImageAsync("127.0.0.1:1/none:1", Ct));
    }

    [Fact]
    public async Task Images_ListAndInspect_ShowTheTestImage()
    {
        var image = await Docker.InspectImageAsync(DockerFixture.Image, Ct);
        var listed = await Docker.ListImagesAsync(
            new Dictionary<string, IReadOnlyList<string>> { ["reference"] = [DockerFixture.Image] }, Ct);

        Assert.StartsWith("sha256:", image.Id);
        Assert.Contains(DockerFixture.Image, image.RepoTags!);
        Assert.Equal(["sh"], image.Config!.Cmd!);
        Assert.Equal([image.Id], listed.Select(i => i.Id));
    }

    [Fact]
    public async Task Events_ShowStartAndDieOfAContainer()
    {
        var filters = new Dictionary<string, IReadOnlyList<string>>
        {
            ["type"] = ["container"],
            ["label"] = [RunLabel],
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var subscribed = DateTimeOffset.UtcNow.AddSeconds(-1);
        var received = new List<DockerEvent>();
        var reader = Task.Run(async () =>
        {
            await foreach (var e in Docker.GetEventsAsync(filters, subscribed, null, stop.Token))
            {
                received.Add(e);
                if (e.Action == "die")
                    return;
            }
        }, Ct);

        var id = await RunAsync(Shell("exit 4"));
        await reader.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var actions = received.Where(e => e.Actor?.ID == id).Select(e => e.Action).ToList();
        Assert.Equal(["create", "start", "die"], actions.Where(a => a is "create" or "start" or "die"));
        var die = received.Single(e => e.Action == "die");
        Assert.Equal("container", die.Type);
        Assert.Equal("4", die.Actor!.Attributes!["exitCode"]);
        Assert.Equal(RunId, die.Actor.Attributes["orchestrator.test/run"]);
        Assert.True(die.TimeNano > 0);
    }

    [Fact]
    public async Task Import_RootfsTar_MakesAnImageWithTheChanges_ThenRemoveImage()
    {
        var image = $"orchestrator-test/import:{RunId}";
        try
        {
            await DockerFixture.ImportBusyboxAsync(Docker, image, Ct);
            var inspect = await Docker.InspectImageAsync(image, Ct);
            Assert.Equal(["sh"], inspect.Config!.Cmd!);
            Assert.Contains("PATH=/bin", inspect.Config.Env!);
        }
        finally
        {
            await Docker.RemoveImageAsync(image, force: true, Ct);
        }
        Assert.Null(await Docker.TryInspectImageAsync(image, Ct));
    }

    [Fact]
    public async Task Import_NotATar_FailsWithTheDaemonsMessage()
    {
        using var garbage = new MemoryStream("not a tar"u8.ToArray());

        var e = await Assert.ThrowsAsync<DockerApiException>(() =>
            Docker.ImportImageAsync(garbage, $"orchestrator-test/garbage:{RunId}", null, Ct));

        Assert.Contains("tar", e.DockerMessage);
        Assert.Null(await Docker.TryInspectImageAsync($"orchestrator-test/garbage:{RunId}", Ct));
    }
}
