using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods;
using Orchestrator.Core.Model;
using Orchestrator.Agent.Runtime;
using Orchestrator.Tests.Agent.Node;
using Orchestrator.Tests.Agent.Runtime;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// A real API server process, kubectl, and one real agent process (node <see cref="NodeName"/>) on the shared
/// dockerd, for end-to-end tests of pods on real containers. The agent's pod sync runs with short periods
/// (<see cref="AgentEnvironment"/>) so tests converge quickly, on a pod network of its own. Everything of this node
/// in Docker (containers labelled with its name, its network) is removed at the start (a crashed run's containers)
/// and at the end; nothing else is touched.
/// </summary>
public sealed class AgentClusterFixture : IAsyncLifetime
{
    public const string NodeName = "podsync-node";
    public const string Image = DockerFixture.Image;

    /// <summary>How long an orphan container is kept by this agent (the production default is 30 s).</summary>
    public static readonly TimeSpan OrphanGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The pod network's Docker name and bridge, this run's own: the daemon is shared with other tests' agents, and
    /// Docker refuses two networks over one subnet, so the server also gets a cluster CIDR of its own.
    /// </summary>
    public string NetworkName { get; } = "podsync-pods-" + Guid.NewGuid().ToString("N")[..8];

    private readonly string _bridgeName = "podsync" + Guid.NewGuid().ToString("N")[..6];
    private readonly string _clusterCidr = $"10.{Random.Shared.Next(160, 240)}.0.0/16";
    private readonly int _serviceOctet = Random.Shared.Next(100, 160);

    /// <summary>
    /// This run's service CIDR: the agent's data path puts its cluster IPs on the host's lo (labelled
    /// <see cref="AddressLabel"/>) with an unreachable route for the whole range, so it must not be the default
    /// 10.96.0.0/12 another cluster on this host may use.
    /// </summary>
    public string ServiceCidr => $"10.{_serviceOctet}.0.0/16";

    /// <summary>The cluster DNS IP (the service CIDR's tenth address), where the agent's DNS responder listens.</summary>
    public string DnsIp => $"10.{_serviceOctet}.0.10";

    /// <summary>The label of the addresses the agent adds to lo: only those are ever removed.</summary>
    public string AddressLabel { get; } = "lo:t" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>The agent's loopback metrics port.</summary>
    public int MetricsPort { get; } = Random.Shared.Next(20000, 29000);

    public IReadOnlyDictionary<string, string> AgentEnvironment => new Dictionary<string, string>
    {
        ["PodSync__OrphanGracePeriod"] = OrphanGracePeriod.ToString(),
        ["PodSync__ResyncInterval"] = "00:00:03",
        ["PodNetwork__NetworkName"] = NetworkName,
        ["PodNetwork__BridgeName"] = _bridgeName,
        // The node's data path is on for this cluster: proxy, DNS, addresses and routes, removed again on exit.
        ["ServiceProxy__Enabled"] = "true",
        ["ClusterDns__Enabled"] = "true",
        ["NodeNetwork__Enabled"] = "true",
        ["NodeNetwork__AddressLabel"] = AddressLabel,
        ["NodeNetwork__CleanupOnExit"] = "true",
        ["NodeNetwork__RuleComment"] = "orchestrator-test-" + AddressLabel[3..],
        ["Metrics__Enabled"] = "true",
        ["Metrics__Bind"] = $"127.0.0.1:{MetricsPort}",
    };

    private readonly string _cache = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;

    public ApiServerProcess Server { get; private set; } = null!;
    public Kubectl Kubectl { get; private set; } = null!;
    public AgentProcess Agent { get; private set; } = null!;
    public DockerClient Docker { get; private set; } = null!;
    public string AgentDataDir { get; } = Directory.CreateTempSubdirectory("podsync-agent-").FullName;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await DockerDaemon.EnsureRunningAsync(cts.Token);
        Docker = new DockerClient(DockerEndpoint.Parse("unix://" + DockerDaemon.SocketPath));
        if (await Docker.TryInspectImageAsync(Image, cts.Token) is null)
            await DockerFixture.ImportBusyboxAsync(Docker, Image, cts.Token);
        await RemoveNodeContainersAsync(cts.Token);
        await RemoveHostNetworkLeftoversAsync();
        Server = await ApiServerProcess.StartAsync(null, "--cluster-cidr", _clusterCidr, "--service-cidr", ServiceCidr);
        Kubectl = new Kubectl(Server.KubeconfigPath, _cache);
        await StartAgentAsync();
    }

    public async Task DisposeAsync()
    {
        if (Agent != null)
        {
            // Gracefully, so that the agent removes its addresses, routes and rules itself; then whatever a crash left.
            await Agent.TerminateAsync();
            await Agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await Agent.DisposeAsync();
        }
        await RemoveHostNetworkLeftoversAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        if (Docker != null)
        {
            await RemoveNodeContainersAsync(cts.Token);
            try
            {
                await Docker.RemoveNetworkAsync(NetworkName, cts.Token);
            }
            catch (DockerApiException e) when (e.IsNotFound || e.IsConflict)
            {
            }
            Docker.Dispose();
        }
        if (Server != null) await Server.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
        Directory.Delete(AgentDataDir, recursive: true);
    }

    /// <summary>Starts the agent and waits until its node is Ready.</summary>
    public async Task StartAgentAsync()
    {
        Agent = AgentProcess.Start(AgentEnvironment,
            "--server", Server.BaseUrl, "--token-file", Path.Combine(Server.DataDir, "node-token"),
            "--node-name", NodeName, "--node-ip", "127.0.0.1", "--data-dir", AgentDataDir, "--lease-interval", "1s");
        await EventuallyAsync(async () =>
        {
            var r = await Kubectl.RunAsync("get", "node", NodeName, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
            return r.StdOut == "True" ? r.StdOut : null;
        }, TimeSpan.FromSeconds(60), "node Ready");
    }

    /// <summary>SIGTERM, as a service manager stops it; its pods keep running.</summary>
    public async Task StopAgentAsync()
    {
        await Agent.TerminateAsync();
        if (!await Agent.WaitForExitAsync(TimeSpan.FromSeconds(30)))
            throw new Xunit.Sdk.XunitException("the agent ignored SIGTERM:\n" + Agent.Log);
        await Agent.DisposeAsync();
    }

    /// <summary><c>kubectl apply -f -</c> of <paramref name="yaml"/> in <paramref name="ns"/>.</summary>
    public async Task ApplyAsync(string yaml, string ns = "default") =>
        (await Kubectl.RunWithInputAsync(yaml, null, "-n", ns, "apply", "-f", "-")).Ok();

    /// <summary>The pod as kubectl reads it, or null when it does not exist.</summary>
    public async Task<JsonObject?> GetPodAsync(string name, string ns = "default")
    {
        var r = await Kubectl.RunAsync("-n", ns, "get", "pod", name, "-o", "json", "--ignore-not-found");
        return r.ExitCode == 0 && r.StdOut.Trim().Length > 0 ? JsonNode.Parse(r.StdOut)!.AsObject() : null;
    }

    /// <summary>Waits until the pod's Ready condition is True.</summary>
    public Task WaitPodReadyAsync(string name, string ns = "default") =>
        EventuallyAsync(async () =>
        {
            var pod = await GetPodAsync(name, ns);
            return pod?["status"]?["conditions"]?.AsArray().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") == true ? "ready" : null;
        }, TimeSpan.FromSeconds(120), $"pod {ns}/{name} Ready");

    /// <summary>The ids of the running app containers Docker has for the pod (by our labels), sorted.</summary>
    public async Task<List<string>> AppContainerIdsAsync(string ns, string pod)
    {
        var list = await Docker.ListContainersByLabelAsync(
            [$"{PodContainerLabels.PodNamespace}={ns}", $"{PodContainerLabels.PodName}={pod}", $"{PodContainerLabels.ContainerKind}={PodContainerLabels.AppKind}"],
            all: false, CancellationToken.None);
        return list.Select(c => c.Id!).OrderBy(x => x, StringComparer.Ordinal).ToList();
    }

    /// <summary>Polls until <paramref name="probe"/> answers non-null; fails with the agent's log on timeout or exit.</summary>
    public async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Agent.HasExited) throw new Xunit.Sdk.XunitException($"the agent exited with {Agent.ExitCode}:\n{Agent.Log}");
            if (await probe() is { } result) return result;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}; agent log:\n{Tail(Agent.Log)}");
            await Task.Delay(250);
        }
    }

    private static string Tail(string log) => log.Length > 20_000 ? log[^20_000..] : log;

    /// <summary>Our labelled addresses on lo and the unreachable routes of our CIDRs (a crashed agent's leftovers).</summary>
    private async Task RemoveHostNetworkLeftoversAsync()
    {
        var shown = await HostCommand.RunAsync("ip", "-o", "-4", "addr", "show", "dev", "lo", "label", AddressLabel);
        foreach (var line in shown.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var inet = Array.IndexOf(parts, "inet");
            if (inet >= 0 && inet + 1 < parts.Length) await HostCommand.RunAsync("ip", "addr", "del", parts[inet + 1], "dev", "lo");
        }
        await HostCommand.RunAsync("ip", "route", "del", "unreachable", ServiceCidr);
        await HostCommand.RunAsync("ip", "route", "del", "unreachable", _clusterCidr);
    }

    /// <summary>
    /// Fails unless the kernel would deliver <paramref name="ip"/> on this host (a local address): tests send only to
    /// addresses on this machine.
    /// </summary>
    public static async Task AssertLocalAsync(string ip)
    {
        var route = await HostCommand.RunAsync("ip", "route", "get", ip);
        Assert.True(route.StdOut.StartsWith("local ", StringComparison.Ordinal), $"{ip} is not a local address: {route.StdOut}{route.StdErr}");
    }

    /// <summary><c>kubectl create namespace</c>, after deleting a previous run's.</summary>
    public async Task CreateNamespaceAsync(string ns)
    {
        await Kubectl.RunAsync("delete", "namespace", ns, "--ignore-not-found", "--wait=true");
        (await Kubectl.RunAsync("create", "namespace", ns)).Ok();
    }

    /// <summary>
    /// Waits until exactly <paramref name="count"/> pods matching <paramref name="selector"/> exist (not deleting),
    /// all Running (and Ready when <paramref name="ready"/>); returns their names.
    /// </summary>
    public async Task<List<string>> WaitRunningPodsAsync(string ns, string selector, int count, IEnumerable<string>? except = null,
        string? name = null, bool ready = true) =>
        await EventuallyAsync(async () =>
        {
            var args = new List<string> { "-n", ns, "get", "pods", "-o", "json" };
            if (selector.Length > 0) args.AddRange(["-l", selector]);
            var items = JsonNode.Parse((await Kubectl.RunAsync([.. args])).Ok().StdOut)!["items"]!.AsArray();
            var running = items
                .Where(p => p!["metadata"]?["deletionTimestamp"] == null && p["status"].Str("phase") == "Running")
                .Where(p => !ready || p!["status"]?["conditions"]?.AsArray().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") == true)
                .Select(p => p!["metadata"].Str("name")!)
                .Where(n => except?.Contains(n) != true && (name == null || n == name))
                .ToList();
            var all = items.Count(p => p!["metadata"]?["deletionTimestamp"] == null && (name == null || p["metadata"].Str("name") == name));
            return running.Count == count && all == count ? running : null;
        }, TimeSpan.FromSeconds(120), $"{count} running pods {selector} in {ns}");

    private async Task RemoveNodeContainersAsync(CancellationToken ct)
    {
        foreach (var c in await Docker.ListContainersByLabelAsync([$"{PodContainerLabels.Node}={NodeName}"], all: true, ct))
        {
            try
            {
                await Docker.RemoveContainerAsync(c.Id!, force: true, volumes: true, ct);
            }
            catch (DockerApiException e) when (e.IsNotFound || e.IsConflict)
            {
            }
        }
    }
}
