using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// A real Orchestrator.Api process on a free loopback port with its own data directory, as a user starts it.
/// It can be stopped gracefully, killed with SIGKILL and started again on the same data directory.
/// </summary>
public sealed class ApiServerProcess : IAsyncDisposable
{
    private Process? _process;
    private readonly StringBuilder _log = new();

    public string DataDir { get; }
    public int Port { get; }
    public string KubeconfigPath => Path.Combine(DataDir, "admin.kubeconfig");
    public string BaseUrl => $"https://127.0.0.1:{Port}";
    public string Log { get { lock (_log) return _log.ToString(); } }

    private ApiServerProcess(string dataDir, int port)
    {
        DataDir = dataDir;
        Port = port;
    }

    /// <summary>More command-line flags for the server (e.g. <c>--cluster-cidr</c>), kept for restarts.</summary>
    public IReadOnlyList<string> ExtraArgs { get; private init; } = [];

    public static async Task<ApiServerProcess> StartAsync(string? dataDir = null, params string[] extraArgs)
    {
        var server = new ApiServerProcess(dataDir ?? Directory.CreateTempSubdirectory("orch-api-").FullName, FreePort()) { ExtraArgs = extraArgs };
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        File.Delete(KubeconfigPath);
        var binDir = AppContext.BaseDirectory;
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(binDir, "Orchestrator.Api.dll"), "--data-dir", DataDir, "--port", Port.ToString(), "--bind", "127.0.0.1" }.Concat(ExtraArgs))
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start Orchestrator.Api");
        _process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Orchestrator.Api exited with {_process.ExitCode}:\n{Log}");
            if (File.Exists(KubeconfigPath) && await ReadyAsync()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Orchestrator.Api did not become ready:\n{Log}");
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var client = CreateHttpClient(authenticated: false);
            var r = await client.GetAsync("/readyz");
            return r.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>An HTTP client trusting the cluster CA (by pinning to it), with the admin token unless told otherwise.</summary>
    public HttpClient CreateHttpClient(bool authenticated = true)
    {
        var caPath = Path.Combine(DataDir, "tls", "ca.crt");
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, chain, _) =>
            {
                using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
                return Orchestrator.Core.Client.ClusterCaTrust.Verify(ca, cert, chain);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (authenticated)
        {
            var token = File.ReadAllLines(KubeconfigPath).Select(l => l.Trim()).First(l => l.StartsWith("token:", StringComparison.Ordinal))["token:".Length..].Trim();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public async Task StopAsync()
    {
        if (_process is not { HasExited: false }) return;
        _process.Kill(entireProcessTree: false); // SIGKILL: the harshest way a server can go
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
