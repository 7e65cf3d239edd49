using System.Text.Json.Nodes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Agent.Runtime;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Lab;

/// <summary>
/// A lab of <see cref="NodeCount"/> Docker hosts on this machine (DESIGN.md "Running real Docker hosts on this
/// machine"): a Linux bridge with the API server's address, one network namespace per node with its own dockerd
/// and agent (proxy, DNS, routes on), the test image copied into every node. The nodes have no default route, so
/// nothing the tests send can leave the machine. Everything is removed at the end — namespaces, links, daemons,
/// their folders and the host's forwarding rule for the bridge.
/// </summary>
public sealed class LabClusterFixture : IAsyncLifetime
{
    public const int NodeCount = 3;
    public const string Image = DockerFixture.Image;

    private readonly string _labId = "ol" + Guid.NewGuid().ToString("N")[..5];
    private readonly int _subnetOctet = Random.Shared.Next(100, 200);
    private readonly string _cache = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;

    public string Bridge => _labId + "br";
    public string SubnetPrefix => $"192.168.{_subnetOctet}";
    public string BridgeIp => $"{SubnetPrefix}.1";
    public List<LabNode> Nodes { get; } = [];
    public ApiServerProcess Server { get; private set; } = null!;
    public Kubectl Kubectl { get; private set; } = null!;

    /// <summary>The agents' configuration: the whole data path on; the short periods of the other end-to-end tests.</summary>
    public static IReadOnlyDictionary<string, string> AgentEnvironment { get; } = new Dictionary<string, string>
    {
        ["PodSync__ResyncInterval"] = "00:00:03",
        ["PodSync__OrphanGracePeriod"] = "00:00:05",
        ["ServiceProxy__Enabled"] = "true",
        ["ClusterDns__Enabled"] = "true",
        ["NodeNetwork__Enabled"] = "true",
        ["NodeNetwork__CleanupOnExit"] = "true",
        ["Metrics__Enabled"] = "true",
    };

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await DockerDaemon.EnsureRunningAsync(cts.Token);
        using (var docker = new DockerClient(DockerEndpoint.Parse("unix://" + DockerDaemon.SocketPath)))
        {
            if (await docker.TryInspectImageAsync(Image, cts.Token) is null)
                await DockerFixture.ImportBusyboxAsync(docker, Image, cts.Token);
        }

        // The bridge exists before the server starts: its certificate names every address of the host.
        await Run("ip", "link", "add", Bridge, "type", "bridge");
        await Run("ip", "addr", "add", $"{BridgeIp}/24", "dev", Bridge);
        await Run("ip", "link", "set", Bridge, "up");
        // Docker's FORWARD policy (DROP) would also judge frames bridged between the nodes (br_netfilter).
        await Run("iptables", "-I", "FORWARD", "-i", Bridge, "-o", Bridge, "-j", "ACCEPT", "-m", "comment", "--comment", _labId);

        Server = await ApiServerProcess.StartAsync(null, "--bind", "0.0.0.0");
        Kubectl = new Kubectl(Server.KubeconfigPath, _cache);

        for (var i = 1; i <= NodeCount; i++) Nodes.Add(new LabNode(_labId, i, SubnetPrefix));
        foreach (var node in Nodes)
        {
            await node.CreateNetworkAsync(Bridge, 24);
            await node.StartDockerdAsync();
            await node.LoadImageAsync(Image);
        }
        foreach (var node in Nodes) StartAgent(node);
        foreach (var node in Nodes) await WaitNodeReadyAsync(node);
    }

    public void StartAgent(LabNode node) =>
        node.StartAgent($"https://{BridgeIp}:{Server.Port}", Path.Combine(Server.DataDir, "node-token"), AgentEnvironment);

    public Task WaitNodeReadyAsync(LabNode node) =>
        EventuallyAsync(async () =>
        {
            var r = await Kubectl.RunAsync("get", "node", node.Name, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
            return r.StdOut == "True" ? "ready" : null;
        }, TimeSpan.FromSeconds(90), $"node {node.Name} Ready");

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        if (Server != null) await Server.DisposeAsync();
        await HostCommand.RunAsync("iptables", "-D", "FORWARD", "-i", Bridge, "-o", Bridge, "-j", "ACCEPT", "-m", "comment", "--comment", _labId);
        await HostCommand.RunAsync("ip", "link", "del", Bridge);
        await HostCommand.RunAsync("rm", "-rf", $"/var/lib/orchestrator-lab/{_labId}");
        await HostCommand.RunAsync("rmdir", "--ignore-fail-on-non-empty", "/var/lib/orchestrator-lab");
        Directory.Delete(_cache, recursive: true);
    }

    /// <summary><c>kubectl apply -f -</c> of <paramref name="yaml"/> in <paramref name="ns"/>.</summary>
    public async Task ApplyAsync(string yaml, string ns = "default") =>
        (await Kubectl.RunWithInputAsync(yaml, null, "-n", ns, "apply", "-f", "-")).Ok();

    /// <summary>Polls until <paramref name="probe"/> answers non-null; fails with the agents' logs on timeout.</summary>
    public async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } result) return result;
            if (DateTime.UtcNow > deadline)
            {
                var logs = string.Join("\n", Nodes.Select(n => $"--- {n.Name} agent:\n{Tail(n.Agent?.Log ?? "(stopped)")}"));
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}\n{logs}\n--- server:\n{Tail(Server.Log)}");
            }
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Waits until exactly <paramref name="count"/> pods matching <paramref name="selector"/> exist (not deleting) and
    /// all are Ready (and pass <paramref name="where"/>); kubectl failing (a restarting server) just means "not yet".
    /// </summary>
    public async Task<List<LabPod>> ReadyPodsAsync(string ns, string selector, int count, Func<LabPod, bool>? where = null) =>
        await EventuallyAsync(async () =>
        {
            var r = await Kubectl.RunAsync("-n", ns, "get", "pods", "-l", selector, "-o", "json");
            if (r.ExitCode != 0) return null;
            var items = JsonNode.Parse(r.StdOut)!["items"]!.AsArray().OfType<JsonObject>()
                .Where(p => p["metadata"]?["deletionTimestamp"] == null).ToList();
            var ready = items
                .Where(p => p["status"]?["conditions"]?.AsArray().Any(c => c.Str("type") == "Ready" && c.Str("status") == "True") == true)
                .Select(p => new LabPod(p.Name()!, p["spec"].Str("nodeName")!, p["status"].Str("podIP")!))
                .Where(p => where?.Invoke(p) != false)
                .ToList();
            return ready.Count == count && items.Count == count ? ready : null;
        }, TimeSpan.FromSeconds(150), $"{count} ready pods {selector} in {ns}");

    private static string Tail(string log) => log.Length > 6_000 ? log[^6_000..] : log;

    private static async Task Run(string file, params string[] args) => (await HostCommand.RunAsync(file, args)).Ok();
}
