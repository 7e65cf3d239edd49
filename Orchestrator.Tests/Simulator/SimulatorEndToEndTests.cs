using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Scheduling;
using Orchestrator.Simulator;
using Orchestrator.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Simulator;

/// <summary>
/// The real API server process (with its scheduler), the real Orchestrator.Simulator process with 3 nodes and the
/// real kubectl.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SimulatorEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _cache = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;
    private ApiServerProcess _server = null!;
    private Process? _simulator;
    private readonly StringBuilder _simulatorLog = new();
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync() => _server = await ApiServerProcess.StartAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_simulator is { HasExited: false })
        {
            _simulator.Kill();
            await _simulator.WaitForExitAsync();
        }
        _simulator?.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
    }

    private void StartSimulator(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Orchestrator.Simulator.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        _simulator = Process.Start(psi) ?? throw new InvalidOperationException("could not start Orchestrator.Simulator");
        _simulator.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_simulatorLog) _simulatorLog.AppendLine(e.Data); };
        _simulator.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_simulatorLog) _simulatorLog.AppendLine(e.Data); };
        _simulator.BeginOutputReadLine();
        _simulator.BeginErrorReadLine();
    }

    private async Task EventuallyAsync(Func<Task<bool>> condition, string because, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            if (_simulator is { HasExited: true }) break;
            await Task.Delay(250);
        }
        string log;
        lock (_simulatorLog) log = _simulatorLog.ToString();
        throw new Xunit.Sdk.XunitException($"timed out waiting until {because}\nsimulator:\n{log}");
    }

    [Fact]
    public async Task Simulator_ThreeNodesReady_KubectlRunPodRunning_UnschedulablePodShowsWhy()
    {
        var k = new Kubectl(_server.KubeconfigPath, _cache);
        StartSimulator("--server", _server.BaseUrl, "--kubeconfig", _server.KubeconfigPath, "--nodes", "3",
            "--cpu", "2", "--memory", "4Gi", "--startup-delay", "500ms");

        // 1. Three Ready nodes, as kubectl prints them.
        await EventuallyAsync(async () =>
        {
            var r = await k.RunAsync("get", "nodes", "--no-headers");
            return r.ExitCode == 0 && r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains(" Ready ")) == 3;
        }, "kubectl get nodes shows 3 Ready nodes");
        var nodes = (await k.RunAsync("get", "nodes", "-o", "wide")).Ok().StdOut;
        output.WriteLine(nodes);
        Assert.Contains("sim-0", nodes);
        Assert.Contains("v1.32.0-sim", nodes);
        Assert.Contains("sim://1.0", nodes);

        // 2. kubectl run → scheduled → Running with an IP of its node's pod CIDR.
        (await k.RunAsync("run", "web", "--image=nginx:1.27")).Ok();
        await EventuallyAsync(async () => (await k.RunAsync("get", "pod", "web", "-o", "jsonpath={.spec.nodeName}")).StdOut.StartsWith("sim-"),
            "the server's scheduler binds the pod");
        await EventuallyAsync(async () => (await k.RunAsync("get", "pod", "web", "-o", "jsonpath={.status.phase}")).StdOut == "Running",
            "the pod is Running");
        var fields = (await k.RunAsync("get", "pod", "web", "-o", "jsonpath={.spec.nodeName} {.status.podIP} {.status.hostIP}")).Ok().StdOut.Split(' ');
        var index = int.Parse(fields[0]["sim-".Length..]);
        Assert.StartsWith($"10.244.{index}.", fields[1]);
        Assert.StartsWith("10.255.", fields[2]);
        Assert.Contains("Running", (await k.RunAsync("get", "pods", "-o", "wide")).Ok().StdOut);

        // 3. A pod asking for more cpu than any node has stays Pending, and describe says why.
        var manifest = ClusterFixture.Manifest("""
            apiVersion: v1
            kind: Pod
            metadata: {name: huge}
            spec:
              containers:
              - name: app
                image: nginx:1.27
                resources: {requests: {cpu: "16"}}
            """);
        (await k.RunAsync("apply", "-f", manifest)).Ok();
        await EventuallyAsync(async () => (await k.RunAsync("describe", "pod", "huge")).StdOut.Contains("FailedScheduling"),
            "describe shows FailedScheduling");
        var describe = (await k.RunAsync("describe", "pod", "huge")).Ok().StdOut;
        output.WriteLine(describe);
        Assert.Contains("0/3 nodes are available: 3 Insufficient cpu.", describe);
        Assert.Equal("Pending", (await k.RunAsync("get", "pod", "huge", "-o", "jsonpath={.status.phase}")).Ok().StdOut);
    }
}
