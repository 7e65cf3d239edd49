using System.Diagnostics;
using System.Text;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// A real API server process (controllers and scheduler inside) plus the node simulator process with three
/// simulated nodes whose pods turn Running and Ready without containers. The real agent replaces the simulator in
/// the node-agent tests.
/// </summary>
public sealed class SimulatedClusterFixture : IAsyncLifetime
{
    private readonly string _cache = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;
    private Process? _simulator;
    private readonly StringBuilder _simulatorLog = new();

    public const int NodeCount = 3;

    public ApiServerProcess Server { get; private set; } = null!;
    public Kubectl Kubectl { get; private set; } = null!;
    public string SimulatorLog { get { lock (_simulatorLog) return _simulatorLog.ToString(); } }

    public async Task InitializeAsync()
    {
        Server = await ApiServerProcess.StartAsync();
        Kubectl = new Kubectl(Server.KubeconfigPath, _cache);
        _simulator = StartSimulator("sim-", NodeCount, _simulatorLog);
        await EventuallyAsync(async () =>
        {
            var r = await Kubectl.RunAsync("get", "nodes", "--no-headers");
            return r.ExitCode == 0 && r.StdOut.Split('\n').Count(l => l.Contains(" Ready")) == NodeCount;
        }, $"{NodeCount} simulated nodes are Ready", 60_000);
    }

    /// <summary>Starts a simulator process for <paramref name="nodes"/> nodes named with <paramref name="prefix"/>.</summary>
    public Process StartSimulator(string prefix, int nodes, StringBuilder log)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "Orchestrator.Simulator.dll"), "--server", Server.BaseUrl,
                     "--kubeconfig", Server.KubeconfigPath, "--nodes", nodes.ToString(), "--name-prefix", prefix, "--startup-delay", "500ms",
                 })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; the failure message names what was awaited.</summary>
    public async Task EventuallyAsync(Func<Task<bool>> condition, string what, int timeoutMs = 30_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException($"timed out waiting until {what}\nserver log tail:\n{Tail(Server.Log)}\nsimulator log tail:\n{Tail(SimulatorLog)}");
    }

    /// <summary>Polls a kubectl command until its standard output satisfies the predicate; returns that output.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> predicate, string what, params string[] args)
    {
        var last = "";
        await EventuallyAsync(async () =>
        {
            var r = await Kubectl.RunAsync(args);
            last = r.StdOut + r.StdErr;
            return r.ExitCode == 0 && predicate(r.StdOut);
        }, $"{what} (last output: {last})");
        return last;
    }

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(40));

    public async Task DisposeAsync()
    {
        if (_simulator is { HasExited: false })
        {
            _simulator.Kill();
            await _simulator.WaitForExitAsync();
        }
        _simulator?.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
    }
}
