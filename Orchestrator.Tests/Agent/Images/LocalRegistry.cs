using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Images;

/// <summary>
/// A Docker registry (Debian's <c>docker-registry</c>, distribution 2.x) as a child process on a free loopback port,
/// storing under a directory the caller owns, optionally behind htpasswd basic auth. dockerd treats registries on
/// 127.0.0.0/8 as insecure, so plain HTTP works without any daemon configuration. Two instances may share a
/// storage directory (an open one to push to, an authenticated one serving the same content).
/// <para>
/// The packages are installed when missing and <c>CI=true</c> (CI runs as root on a fresh Debian), as
/// <see cref="DockerDaemon"/> installs Docker; elsewhere a missing package fails the test with the command to run.
/// </para>
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private const string RegistryBinary = "docker-registry";
    private const string HtpasswdBinary = "htpasswd";

    private readonly Process _process;
    private readonly string _configDir;
    private readonly StringBuilder _log = new();

    private LocalRegistry(Process process, string configDir, int port)
    {
        _process = process;
        _configDir = configDir;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>: the registry part of image names.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>What the registry logged so far (one line per request at info level).</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <summary>
    /// Freezes the registry (SIGSTOP) until <see cref="Resume"/>: connections are still accepted by the kernel
    /// but nothing is answered, so pulls that start meanwhile are all in flight at once.
    /// </summary>
    public void Pause() => Signal(SigStop);

    public void Resume() => Signal(SigCont);

    // Linux's numbers on x86-64 and arm64 alike.
    private const int SigCont = 18;
    private const int SigStop = 19;

    private void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Installs <c>docker-registry</c> and <c>apache2-utils</c> (htpasswd) when missing, under CI only.</summary>
    public static async Task EnsureInstalledAsync(CancellationToken ct)
    {
        if (FindOnPath(RegistryBinary) is not null && FindOnPath(HtpasswdBinary) is not null)
            return;
        if (!DockerDaemon.IsCi)
            throw new InvalidOperationException(
                "Image pull tests need a local registry and htpasswd: install them with " +
                "`apt-get install -y docker-registry apache2-utils` (done automatically when CI=true).");
        await DockerDaemon.RunAsync("apt-get", ["update"], ct);
        await DockerDaemon.RunAsync("apt-get", ["install", "-y", "docker-registry", "apache2-utils"], ct,
            ("DEBIAN_FRONTEND", "noninteractive"));
        if (FindOnPath(RegistryBinary) is null || FindOnPath(HtpasswdBinary) is null)
            throw new InvalidOperationException("docker-registry or htpasswd is still missing after installing the packages");
    }

    /// <summary>Starts a registry over <paramref name="storageDir"/>; with credentials it demands them (basic auth).</summary>
    public static async Task<LocalRegistry> StartAsync(string storageDir, (string User, string Password)? credentials, CancellationToken ct)
    {
        await EnsureInstalledAsync(ct);
        var configDir = Directory.CreateTempSubdirectory("images-test-registry-").FullName;
        var port = FreeLoopbackPort();
        var config = new StringBuilder()
            .AppendLine("version: 0.1")
            .AppendLine("log:")
            .AppendLine("  level: info")
            .AppendLine("storage:")
            .AppendLine("  filesystem:")
            .AppendLine($"    rootdirectory: {storageDir}")
            .AppendLine("  delete:")
            .AppendLine("    enabled: true")
            .AppendLine("http:")
            .AppendLine($"  addr: 127.0.0.1:{port}");
        if (credentials is var (user, password))
        {
            var line = await DockerDaemon.RunAsync(FindOnPath(HtpasswdBinary)!, ["-Bbn", user, password], ct);
            await File.WriteAllTextAsync(Path.Combine(configDir, "htpasswd"), line.Trim() + "\n", ct);
            config.AppendLine("auth:")
                .AppendLine("  htpasswd:")
                .AppendLine("    realm: images-test")
                .AppendLine($"    path: {Path.Combine(configDir, "htpasswd")}");
        }
        var configFile = Path.Combine(configDir, "config.yml");
        await File.WriteAllTextAsync(configFile, config.ToString(), ct);

        var psi = new ProcessStartInfo(FindOnPath(RegistryBinary)!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(configFile);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start docker-registry");
        var registry = new LocalRegistry(process, configDir, port);
        process.OutputDataReceived += (_, e) => registry.Append(e.Data);
        process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await registry.WaitUntilServingAsync(ct);
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
        return registry;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
    }

    /// <summary><c>GET /v2/</c> answers 200 (open) or 401 (auth) once the registry listens.</summary>
    private async Task WaitUntilServingAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}:\n{Log}");
            try
            {
                using var response = await http.GetAsync($"http://{Host}/v2/", ct);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            await Task.Delay(100, ct);
        }
        throw new InvalidOperationException($"docker-registry did not answer on {Host} within 20 s:\n{Log}");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Concat(["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin"])
        .Where(d => d.Length > 0)
        .Select(d => Path.Combine(d, name))
        .FirstOrDefault(File.Exists);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // A paused registry dies of SIGKILL all the same.
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_configDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
