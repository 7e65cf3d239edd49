using System.Text;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Tests.Agent.Runtime;

/// <summary>
/// Per test: a run label on everything the test creates, removed in <see cref="DisposeAsync"/>, and a timeout
/// token so that a hung daemon call fails the test instead of hanging the run.
/// </summary>
public abstract class DockerTestBase : IAsyncLifetime
{
    protected DockerTestBase(DockerFixture fixture)
    {
        Fixture = fixture;
        RunId = Guid.NewGuid().ToString("N")[..12];
    }

    protected DockerFixture Fixture { get; }
    protected DockerClient Docker => Fixture.Client;
    protected string RunId { get; }
    protected string RunLabel => "orchestrator.test/run=" + RunId;
    /// <summary>
    /// A /24 in 10.250.0.0/16 for a test network, random so that runs in two worktrees sharing the daemon rarely meet
    /// (Docker refuses overlapping pools).
    /// </summary>
    protected static int RandomSubnetOctet() => Random.Shared.Next(1, 255);

    protected CancellationTokenSource Timeout { get; } = new(TimeSpan.FromSeconds(90));
    protected CancellationToken Ct => Timeout.Token;

    protected Dictionary<string, string> Labels(params (string Key, string Value)[] extra)
    {
        var labels = new Dictionary<string, string>
        {
            [DockerFixture.SuiteLabelKey] = DockerFixture.SuiteLabelValue,
            ["orchestrator.test/run"] = RunId,
            [DockerFixture.FixtureLabelKey] = Fixture.FixtureId,
        };
        foreach (var (k, v) in extra)
            labels[k] = v;
        return labels;
    }

    /// <summary>A container request for the busybox image running <c>sh -c <paramref name="script"/></c>, labelled.</summary>
    protected ContainerCreateRequest Shell(string script, params (string Key, string Value)[] labels) => new()
    {
        Image = DockerFixture.Image,
        Cmd = ["sh", "-c", script],
        Labels = Labels(labels),
        HostConfig = new HostConfig { RestartPolicy = new RestartPolicy { Name = "no" } },
    };

    protected async Task<string> CreateAsync(ContainerCreateRequest request, string? name = null) =>
        await Docker.CreateContainerAsync(name ?? $"orch-test-{RunId}-{Guid.NewGuid().ToString("N")[..6]}", request, Ct);

    protected async Task<string> RunAsync(ContainerCreateRequest request)
    {
        var id = await CreateAsync(request);
        await Docker.StartContainerAsync(id, Ct);
        return id;
    }

    /// <summary>All log output of a container, split by stream.</summary>
    protected async Task<(string Stdout, string Stderr)> LogsAsync(string id, LogsOptions? options = null)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        await foreach (var frame in Docker.GetLogsAsync(id, options ?? new LogsOptions(), Ct))
            (frame.Stream == StdStream.Stderr ? stderr : stdout).Append(Encoding.UTF8.GetString(frame.Data));
        return (stdout.ToString(), stderr.ToString());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await DockerFixture.RemoveLabelledAsync(Docker, RunLabel, cleanup.Token);
        Timeout.Dispose();
    }
}
