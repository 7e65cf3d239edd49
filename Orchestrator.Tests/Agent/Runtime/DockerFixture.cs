using System.Formats.Tar;
using Orchestrator.Agent.Runtime;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Runtime;

/// <summary>
/// Shared by the Docker tests (one collection, so they run one at a time): a reachable dockerd
/// (<see cref="DockerDaemon"/>), a client for it, and the test image <see cref="Image"/> — busybox imported from a
/// tar, since there is no registry. Everything the tests create carries <see cref="SuiteLabel"/> and this run's
/// <see cref="FixtureLabel"/>; the end of the run removes what carries the latter, and the start removes suite
/// leftovers older than <see cref="LeftoverAge"/> (a crashed run) without touching a concurrent run in another
/// worktree.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    public const string Image = "orchestrator-test/busybox:1";
    public const string SuiteLabelKey = "orchestrator.test/suite";
    public const string SuiteLabelValue = "docker-client";
    public const string SuiteLabel = SuiteLabelKey + "=" + SuiteLabelValue;

    public const string FixtureLabelKey = "orchestrator.test/fixture";
    private static readonly TimeSpan LeftoverAge = TimeSpan.FromMinutes(30);

    private DockerClient? _client;

    public string FixtureId { get; } = Guid.NewGuid().ToString("N")[..12];

    public string FixtureLabel => FixtureLabelKey + "=" + FixtureId;

    public DockerClient Client => _client ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await DockerDaemon.EnsureRunningAsync(cts.Token);
        _client = new DockerClient(DockerEndpoint.Parse("unix://" + DockerDaemon.SocketPath));
        await RemoveLeftoversAsync(cts.Token);
        if (await Client.TryInspectImageAsync(Image, cts.Token) is null)
            await ImportBusyboxAsync(Client, Image, cts.Token);
    }

    public async Task DisposeAsync()
    {
        if (_client is null)
            return;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await RemoveLabelledAsync(Client, FixtureLabel, cts.Token);
        _client.Dispose();
    }

    /// <summary>Removes suite containers and networks created long ago by a run that crashed (the image stays).</summary>
    private async Task RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        var cutoff = DateTimeOffset.UtcNow - LeftoverAge;
        var filter = new Dictionary<string, IReadOnlyList<string>> { ["label"] = [SuiteLabel] };
        foreach (var c in await Client.ListContainersAsync(filter, all: true, cancellationToken))
            if (DateTimeOffset.FromUnixTimeSeconds(c.Created) < cutoff)
                await RemoveContainerQuietlyAsync(Client, c.Id!, cancellationToken);
        foreach (var n in await Client.ListNetworksAsync(filter, cancellationToken))
            if (n.Created is null || DateTimeOffset.Parse(n.Created) < cutoff)
                await RemoveNetworkQuietlyAsync(Client, n.Id!, cancellationToken);
    }

    public static async Task RemoveLabelledAsync(DockerClient client, string label, CancellationToken cancellationToken)
    {
        var filter = new Dictionary<string, IReadOnlyList<string>> { ["label"] = [label] };
        foreach (var c in await client.ListContainersAsync(filter, all: true, cancellationToken))
            await RemoveContainerQuietlyAsync(client, c.Id!, cancellationToken);
        foreach (var n in await client.ListNetworksAsync(filter, cancellationToken))
            await RemoveNetworkQuietlyAsync(client, n.Id!, cancellationToken);
    }

    private static async Task RemoveContainerQuietlyAsync(DockerClient client, string id, CancellationToken cancellationToken)
    {
        try
        {
            await client.RemoveContainerAsync(id, force: true, volumes: true, cancellationToken);
        }
        catch (DockerApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Already gone, or its removal is already in progress: nothing left to do.
        }
    }

    private static async Task RemoveNetworkQuietlyAsync(DockerClient client, string id, CancellationToken cancellationToken)
    {
        try
        {
            await client.RemoveNetworkAsync(id, cancellationToken);
        }
        catch (DockerApiException e) when (e.IsNotFound)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Builds a root filesystem of a static busybox and its applet links (<c>busybox --list</c>) plus the usual
    /// directories, as a tar in memory, and imports it through the Engine API (<c>docker import</c>).
    /// </summary>
    public static async Task ImportBusyboxAsync(DockerClient client, string image, CancellationToken cancellationToken)
    {
        var applets = (await DockerDaemon.RunAsync(DockerDaemon.BusyboxPath, ["--list"], cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var dir in new[] { "bin", "etc", "tmp", "var", "www", "proc", "sys", "dev", "root" })
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir + "/")
                {
                    Mode = dir == "tmp"
                        ? (UnixFileMode)Convert.ToInt32("1777", 8)
                        : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                          UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                }, cancellationToken);
            await writer.WriteEntryAsync(DockerDaemon.BusyboxPath, "bin/busybox", cancellationToken);
            foreach (var applet in applets.Where(a => a != "busybox"))
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" },
                    cancellationToken);
            var passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"u8.ToArray();
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "etc/passwd")
            {
                DataStream = new MemoryStream(passwd),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            }, cancellationToken);
        }
        tar.Position = 0;
        await client.ImportImageAsync(tar, image, ["ENV PATH=/bin", "CMD [\"sh\"]"], cancellationToken);
    }
}
