using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods;
using Orchestrator.Agent.Runtime;
using Orchestrator.Tests.Agent.Node;
using Orchestrator.Tests.Agent.Runtime;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Streaming;

/// <summary>
/// A real API server, a real agent process joined as <see cref="NodeName"/> with its streaming port on a free port,
/// the real dockerd and kubectl. The pod sync loop is not part of this: tests create a pod bound to the node, make
/// its containers by hand with the labels the agent looks for, and mark the pod Running.
/// Every container made here is named <c>streaming-test-…</c> and labelled with this fixture's id, and removed at the end.
/// </summary>
public sealed class StreamingClusterFixture : IAsyncLifetime
{
    public const string NodeName = "streaming-node";
    public const string Image = DockerFixture.Image;
    private const string FixtureLabelKey = "orchestrator.test/streaming";

    private readonly string _dataDir = Directory.CreateTempSubdirectory("orch-streaming-agent-").FullName;
    private readonly string _cache = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;
    private readonly string _fixtureId = Guid.NewGuid().ToString("N")[..10];

    public ApiServerProcess Server { get; private set; } = null!;
    public Kubectl Kubectl { get; private set; } = null!;
    public AgentProcess Agent { get; private set; } = null!;
    public DockerClient Docker { get; private set; } = null!;
    public int KubeletPort { get; } = FreePort();
    public string AgentDataDir => _dataDir;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await DockerDaemon.EnsureRunningAsync(cts.Token);
        Docker = new DockerClient(DockerEndpoint.Parse("unix://" + DockerDaemon.SocketPath));
        if (await Docker.TryInspectImageAsync(Image, cts.Token) is null)
            await DockerFixture.ImportBusyboxAsync(Docker, Image, cts.Token);

        Server = await ApiServerProcess.StartAsync();
        Kubectl = new Kubectl(Server.KubeconfigPath, _cache);
        // Its containers are made by hand (the tests control every attempt), so the agent's own pod sync stays off.
        Agent = AgentProcess.Start(new Dictionary<string, string> { ["PodSync__Enabled"] = "false" },
            "--server", Server.BaseUrl, "--token-file", Path.Combine(Server.DataDir, "node-token"), "--node-name", NodeName,
            "--node-ip", "127.0.0.1", "--data-dir", _dataDir, "--lease-interval", "1s", "--kubelet-port", KubeletPort.ToString());
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!Agent.Log.Contains("Streaming port") || !await NodeReadyAsync())
        {
            if (Agent.HasExited) throw new InvalidOperationException($"the agent exited with {Agent.ExitCode}:\n{Agent.Log}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the agent did not become ready:\n" + Agent.Log);
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        if (Docker != null)
        {
            await DockerFixture.RemoveLabelledAsync(Docker, $"{FixtureLabelKey}={_fixtureId}", cts.Token);
            Docker.Dispose();
        }
        if (Agent != null) await Agent.DisposeAsync();
        if (Server != null) await Server.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
        Directory.Delete(_cache, recursive: true);
    }

    private async Task<bool> NodeReadyAsync()
    {
        var r = await Kubectl.RunAsync("get", "node", NodeName, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        return r.ExitCode == 0 && r.StdOut == "True";
    }

    /// <summary>Creates a pod bound to the agent's node (nothing runs yet) and returns its UID.</summary>
    public async Task<string> CreatePodAsync(string name, string containersYaml, string? extraMetadata = null, string node = NodeName)
    {
        var manifest = ClusterFixture.Manifest($"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {name}
            {extraMetadata ?? ""}
            spec:
              nodeName: {node}
              terminationGracePeriodSeconds: 0
              containers:
            {containersYaml}
            """);
        (await Kubectl.RunAsync("apply", "-f", manifest)).Ok();
        return (await Kubectl.RunAsync("get", "pod", name, "-o", "jsonpath={.metadata.uid}")).Ok().StdOut;
    }

    /// <summary>One container line of a pod spec: <c>- name: NAME / image: busybox</c>.</summary>
    public static string Container(string name, string? extra = null) =>
        $"  - name: {name}\n    image: {Image}\n" + (extra == null ? "" : "    " + extra + "\n");

    /// <summary>
    /// Makes and starts a container of the pod as the sync loop would label it; with <paramref name="sandboxId"/> it
    /// joins that container's network namespace.
    /// </summary>
    public async Task<string> RunContainerAsync(string pod, string uid, string container, int attempt, string[] command,
        bool tty = false, bool openStdin = false, string kind = PodContainerLabels.AppKind, string? sandboxId = null, bool start = true)
    {
        var labels = PodContainerLabels.For(NodeName, "default", pod, uid, container, kind, attempt);
        labels[FixtureLabelKey] = _fixtureId;
        var id = await Docker.CreateContainerAsync($"streaming-test-{pod}-{container}-{attempt}-{_fixtureId}", new ContainerCreateRequest
        {
            Image = Image,
            Cmd = [.. command],
            Labels = labels,
            Tty = tty,
            OpenStdin = openStdin,
            StdinOnce = openStdin,
            AttachStdin = openStdin,
            AttachStdout = true,
            AttachStderr = true,
            HostConfig = new HostConfig { NetworkMode = sandboxId == null ? "bridge" : "container:" + sandboxId },
        }, CancellationToken.None);
        if (start) await Docker.StartContainerAsync(id, CancellationToken.None);
        return id;
    }

    public async Task SetPodStatusAsync(string pod, JsonObject status)
    {
        var patch = new JsonObject { ["status"] = status }.ToJsonString();
        (await Kubectl.RunAsync("patch", "pod", pod, "--subresource=status", "--type=merge", "-p", patch)).Ok();
    }

    public Task SetRunningAsync(string pod) => SetPodStatusAsync(pod, new JsonObject { ["phase"] = "Running" });

    public async Task DeletePodAsync(string pod) =>
        await Kubectl.RunAsync("delete", "pod", pod, "--grace-period=0", "--force", "--ignore-not-found");

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
