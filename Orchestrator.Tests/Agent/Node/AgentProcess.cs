using System.Diagnostics;
using System.Text;

namespace Orchestrator.Tests.Agent.Node;

/// <summary>A real Orchestrator.Agent process started from the test bin directory, with its output collected.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private AgentProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static readonly string[] DataPathSections = ["ServiceProxy", "ClusterDns", "NodeNetwork", "Metrics"];

    public static AgentProcess Start(params string[] args) => Start(null, args);

    /// <summary>Starts the agent with extra environment variables (configuration such as <c>PodSync__…</c>).</summary>
    public static AgentProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartIn(null, environment, args);

    /// <summary>
    /// Starts the agent inside the network namespace at <paramref name="netnsPath"/> (null: this one) through
    /// <c>nsenter --net</c>, which execs the agent, so the process is the agent itself (signals reach it).
    /// </summary>
    public static AgentProcess StartIn(string? netnsPath, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo(netnsPath == null ? "dotnet" : "nsenter")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (netnsPath != null)
        {
            psi.ArgumentList.Add("--net=" + netnsPath);
            psi.ArgumentList.Add("dotnet");
        }
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Orchestrator.Agent.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        // The node's data path (VIPs on the host's lo, routes, listeners on service and node ports, DNS) is off unless
        // a test asks for it: agents of concurrent tests share this host's network namespace.
        foreach (var section in DataPathSections) psi.Environment[section + "__Enabled"] = "false";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        return new AgentProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start Orchestrator.Agent"));
    }

    /// <summary>Waits for the process to exit on its own; false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM, as a service manager stops the agent; the host should shut down gracefully.</summary>
    public async Task TerminateAsync()
    {
        if (_process.HasExited) return;
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])!;
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line == null) return;
        lock (_log) _log.AppendLine(line);
    }
}
