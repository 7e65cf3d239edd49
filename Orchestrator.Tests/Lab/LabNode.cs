using System.Diagnostics;
using System.Text;
using Orchestrator.Agent.Pods;
using Orchestrator.Agent.Runtime;
using Orchestrator.Tests.Agent.Node;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Lab;

/// <summary>
/// One Docker host of the lab: a network namespace (<see cref="Namespace"/>) whose <c>eth0</c> is a veth into the
/// lab bridge with address <see cref="Ip"/> and no default route, its own dockerd (data, exec root and socket
/// under <see cref="Root"/>, started with <c>nsenter --net</c> as DESIGN.md says), and an agent inside the same
/// namespace. Everything is removed again by <see cref="DisposeAsync"/>, in reverse order.
/// </summary>
public sealed class LabNode : IAsyncDisposable
{
    private readonly StringBuilder _dockerdLog = new();
    private Process? _dockerd;

    public LabNode(string labId, int index, string subnetPrefix)
    {
        Index = index;
        Name = $"lab-n{index}";
        Namespace = $"{labId}-n{index}";
        HostVeth = $"{labId}v{index}";
        Ip = $"{subnetPrefix}.{10 + index}";
        Root = $"/var/lib/orchestrator-lab/{labId}/n{index}";
    }

    public int Index { get; }
    public string Name { get; }
    public string Namespace { get; }
    public string NetnsPath => $"/run/netns/{Namespace}";
    public string HostVeth { get; }
    public string Ip { get; }
    public string Root { get; }
    public string DockerSocket => $"{Root}/docker.sock";
    public AgentProcess? Agent { get; private set; }
    public string DockerdLog { get { lock (_dockerdLog) return _dockerdLog.ToString(); } }

    /// <summary>Namespace, veth into <paramref name="bridge"/>, addresses; no default route.</summary>
    public async Task CreateNetworkAsync(string bridge, int prefixLength)
    {
        await Run("ip", "netns", "add", Namespace);
        await Run("ip", "link", "add", HostVeth, "type", "veth", "peer", "name", "eth0", "netns", Namespace);
        await Run("ip", "link", "set", HostVeth, "master", bridge, "up");
        await Run("ip", "-n", Namespace, "addr", "add", $"{Ip}/{prefixLength}", "dev", "eth0");
        await Run("ip", "-n", Namespace, "link", "set", "eth0", "up");
        await Run("ip", "-n", Namespace, "link", "set", "lo", "up");
        // Forwarding inside the node (its pods' traffic to other nodes) is the node's business, as on a real host.
        await Run("ip", "netns", "exec", Namespace, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    }

    public async Task StartDockerdAsync()
    {
        Directory.CreateDirectory(Root);
        var psi = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--net=" + NetnsPath, "dockerd", "--data-root", $"{Root}/docker", "--exec-root", $"{Root}/exec",
                     "-H", "unix://" + DockerSocket, "--pidfile", $"{Root}/docker.pid", "--bip", $"172.31.{Index}.1/24",
                 })
            psi.ArgumentList.Add(a);
        _dockerd = Process.Start(psi) ?? throw new InvalidOperationException("could not start dockerd");
        _dockerd.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_dockerdLog) _dockerdLog.AppendLine(e.Data); };
        _dockerd.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_dockerdLog) _dockerdLog.AppendLine(e.Data); };
        _dockerd.BeginOutputReadLine();
        _dockerd.BeginErrorReadLine();
        using var docker = new DockerClient(DockerEndpoint.Parse("unix://" + DockerSocket));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await docker.PingAsync(CancellationToken.None))
        {
            if (_dockerd.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"the dockerd of {Name} did not answer:\n{DockerdLog}");
            await Task.Delay(200);
        }
    }

    /// <summary>Stops the node's dockerd (SIGTERM: it stops its containers) and starts it again on the same data.</summary>
    public async Task RestartDockerdAsync()
    {
        if (_dockerd is { HasExited: false })
        {
            Process.Start("kill", ["-TERM", _dockerd.Id.ToString()])?.WaitForExit();
            if (!_dockerd.WaitForExit(TimeSpan.FromSeconds(60))) _dockerd.Kill(entireProcessTree: true);
        }
        _dockerd?.Dispose();
        await StartDockerdAsync();
    }

    /// <summary>Takes the node's link to the lab bridge down (a cut cable) or up again.</summary>
    public async Task SetLinkAsync(bool up) => await Run("ip", "link", "set", HostVeth, up ? "up" : "down");

    /// <summary>The node's running containers of pod <paramref name="ns"/>/<paramref name="pod"/> (app containers, by label).</summary>
    public async Task<List<string>> RunningAppContainersAsync(string ns, string pod)
    {
        var r = await HostCommand.RunAsync("docker", "-H", "unix://" + DockerSocket, "ps", "-q",
            "--filter", $"label={PodContainerLabels.PodNamespace}={ns}", "--filter", $"label={PodContainerLabels.PodName}={pod}",
            "--filter", $"label={PodContainerLabels.ContainerKind}={PodContainerLabels.AppKind}");
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>The names of the pods in <paramref name="ns"/> with a running app container on this node.</summary>
    public async Task<List<string>> PodsWithRunningContainersAsync(string ns)
    {
        var r = await HostCommand.RunAsync("docker", "-H", "unix://" + DockerSocket, "ps",
            "--filter", $"label={PodContainerLabels.PodNamespace}={ns}", "--filter", $"label={PodContainerLabels.ContainerKind}={PodContainerLabels.AppKind}",
            "--format", "{{.Label \"" + PodContainerLabels.PodName + "\"}}");
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>Copies an image from the host's dockerd into this node's (there is no registry).</summary>
    public Task LoadImageAsync(string image) =>
        Run("sh", "-c", $"docker save {image} | docker -H unix://{DockerSocket} load -q");

    public void StartAgent(string serverUrl, string tokenFile, IReadOnlyDictionary<string, string> environment)
    {
        Agent = AgentProcess.StartIn(NetnsPath, environment,
            "--server", serverUrl, "--token-file", tokenFile, "--node-name", Name, "--node-ip", Ip,
            "--docker-host", "unix://" + DockerSocket, "--data-dir", $"{Root}/agent", "--lease-interval", "1s");
    }

    /// <summary>SIGTERM to the agent (it cleans its addresses and rules up), then kill if it lingers.</summary>
    public async Task StopAgentAsync()
    {
        if (Agent == null) return;
        await Agent.TerminateAsync();
        await Agent.WaitForExitAsync(TimeSpan.FromSeconds(20));
        await Agent.DisposeAsync();
        Agent = null;
    }

    /// <summary>Runs a command inside the node's network namespace.</summary>
    public Task<HostCommand.Result> ExecAsync(params string[] command) => ExecAsync(TimeSpan.FromSeconds(60), command);

    public Task<HostCommand.Result> ExecAsync(TimeSpan limit, params string[] command) =>
        HostCommand.RunAsync(limit, "nsenter", ["--net=" + NetnsPath, .. command]);

    public async ValueTask DisposeAsync()
    {
        await StopAgentAsync();
        if (_dockerd is { HasExited: false })
        {
            // Containers first (dockerd would only stop them), then the daemon, which unmounts its layers.
            await HostCommand.RunAsync("sh", "-c", $"docker -H unix://{DockerSocket} ps -aq | xargs -r docker -H unix://{DockerSocket} rm -f");
            Process.Start("kill", ["-TERM", _dockerd.Id.ToString()])?.WaitForExit();
            if (!_dockerd.WaitForExit(TimeSpan.FromSeconds(20))) _dockerd.Kill(entireProcessTree: true);
        }
        _dockerd?.Dispose();
        await HostCommand.RunAsync("ip", "link", "del", HostVeth);
        await HostCommand.RunAsync("ip", "netns", "del", Namespace);
        // Layers the daemon left mounted would keep the folder busy: unmount whatever is below the node's root.
        await HostCommand.RunAsync("sh", "-c", $"grep -o ' {Root}[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l");
        await HostCommand.RunAsync("rm", "-rf", Root);
    }

    private static async Task Run(string file, params string[] args) => (await HostCommand.RunAsync(file, args)).Ok();
}
