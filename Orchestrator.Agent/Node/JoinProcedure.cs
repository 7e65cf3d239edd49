using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Node;

/// <summary>
/// Joins the cluster, as a k3s agent does:
/// <list type="number">
/// <item>read and parse the node-token file;</item>
/// <item>get the cluster CA: reuse <c>DATA/ca.crt</c> when its hash matches the token, otherwise GET /cacerts
/// trusting any server certificate for that one request (we trust nothing yet) and keep it only if its SHA-256
/// equals the token's hash — a man in the middle cannot forge a CA with that hash;</item>
/// <item>get a per-node credential: reuse <c>DATA/node-credential.json</c> if it was issued for this node name and
/// the server still accepts it (anything but 401), otherwise POST /node-credentials with the join secret — now
/// verifying the server's certificate against the CA — and store the answer with mode 0600.</item>
/// </list>
/// Unreachable servers are retried with back-off; a wrong token or rejected secret throws <see cref="JoinFailedException"/>.
/// </summary>
public sealed class JoinProcedure(AgentOptions options, NodeIdentity identity, ILogger<JoinProcedure> logger, TimeProvider time)
{
    public const string FieldManager = "orchestrator-agent";
    public const string CaFileName = "ca.crt";
    public const string CredentialFileName = "node-credential.json";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    public string CaPath => Path.Combine(options.DataDir, CaFileName);
    public string CredentialPath => Path.Combine(options.DataDir, CredentialFileName);

    public async Task<JoinResult> JoinAsync(CancellationToken ct)
    {
        var token = ReadToken();
        PrepareDataDir();
        var caPem = await RetryAsync("fetch the cluster CA", c => GetCaAsync(token, c), ct);
        var credential = await RetryAsync("obtain the node credential", c => GetCredentialAsync(token, caPem, c), ct);
        return new JoinResult(caPem, credential);
    }

    /// <summary>A Kubernetes client that trusts only the cluster CA and acts with the node's credential.</summary>
    public HttpKubeClient CreateClient(JoinResult joined) =>
        HttpKubeClient.Create(options.Server, joined.CaPem, joined.Token, FieldManager);

    private NodeToken ReadToken()
    {
        string text;
        try
        {
            text = File.ReadAllText(options.TokenFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new JoinFailedException($"cannot read the token file {options.TokenFile}: {ex.Message}", ex);
        }
        try
        {
            return NodeToken.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new JoinFailedException($"{options.TokenFile}: {ex.Message}", ex);
        }
    }

    private void PrepareDataDir()
    {
        // 0700: the directory holds a bearer token.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(options.DataDir);
        else Directory.CreateDirectory(options.DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private async Task<string> GetCaAsync(NodeToken token, CancellationToken ct)
    {
        if (File.Exists(CaPath))
        {
            var stored = await File.ReadAllTextAsync(CaPath, ct);
            if (token.Matches(stored)) return stored;
            logger.LogInformation("The stored CA {Path} does not match the node token; fetching it again", CaPath);
        }

        // The only request made without verifying the server: what it returns is checked against the token's hash.
        using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } };
        using var http = new HttpClient(handler) { BaseAddress = options.Server, Timeout = RequestTimeout };
        using var response = await http.GetAsync("/cacerts", ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET /cacerts answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        var pem = await response.Content.ReadAsStringAsync(ct);
        if (!token.Matches(pem))
            throw new JoinFailedException(
                $"the CA served by {options.Server} has SHA-256 {NodeToken.HashOf(pem)}, but the token in {options.TokenFile} " +
                $"expects {token.CaHash}: wrong token file, or not the server it belongs to");
        WriteSecretFile(CaPath, pem);
        logger.LogInformation("Fetched the cluster CA from {Server}; it matches the node token", options.Server);
        return pem;
    }

    private async Task<string> GetCredentialAsync(NodeToken token, string caPem, CancellationToken ct)
    {
        if (ReadStoredCredential() is { } stored)
        {
            using var client = HttpKubeClient.Create(options.Server, caPem, stored, FieldManager);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(RequestTimeout);
                await client.GetAsync(Kinds.Node, null, identity.Name, timeout.Token);
                logger.LogInformation("Reusing the stored node credential {Path}", CredentialPath);
                return stored;
            }
            catch (ApiException ex) when (ex.Code == 401)
            {
                logger.LogWarning("The server no longer accepts the stored node credential; joining again");
            }
        }

        using var handler = TrustingOnly(caPem);
        using var http = new HttpClient(handler) { BaseAddress = options.Server, Timeout = RequestTimeout };
        using var response = await http.PostAsJsonAsync("/node-credentials",
            new JsonObject { ["nodeName"] = identity.Name, ["joinSecret"] = token.Secret }, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new JoinFailedException($"{options.Server} rejected the join secret in {options.TokenFile}");
        var text = await response.Content.ReadAsStringAsync(ct);
        if ((int)response.StatusCode is >= 400 and < 500)
            throw new JoinFailedException($"{options.Server} refused the join of node \"{identity.Name}\" ({(int)response.StatusCode}): {text}");
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /node-credentials answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        var credential = JsonNode.Parse(text).Str("token")
            ?? throw new HttpRequestException("POST /node-credentials answered without a token");
        WriteSecretFile(CredentialPath, new JsonObject { ["server"] = options.Server.ToString(), ["nodeName"] = identity.Name, ["token"] = credential }.ToJsonString());
        logger.LogInformation("Joined {Server} as node {Node}; credential stored in {Path}", options.Server, identity.Name, CredentialPath);
        return credential;
    }

    /// <summary>The stored credential, if it was issued for this node name (a renamed node needs its own).</summary>
    private string? ReadStoredCredential()
    {
        if (!File.Exists(CredentialPath)) return null;
        try
        {
            var stored = JsonNode.Parse(File.ReadAllText(CredentialPath));
            return stored.Str("nodeName") == identity.Name ? stored.Str("token") : null;
        }
        catch (System.Text.Json.JsonException)
        {
            logger.LogWarning("Ignoring the unreadable credential file {Path}", CredentialPath);
            return null;
        }
    }

    private static SocketsHttpHandler TrustingOnly(string caPem)
    {
        return new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = ClusterCaTrust.For(caPem) },
        };
    }

    /// <summary>Writes through a temporary file created 0600, then renames, so the file is never readable by others or half-written.</summary>
    private static void WriteSecretFile(string path, string content)
    {
        var temp = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, fileOptions))
        using (var writer = new StreamWriter(stream))
            writer.Write(content);
        // An older temp file may have had other bits: set them explicitly.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Retries transport failures (server down, TLS not up yet, timeouts, 5xx) with capped exponential back-off.</summary>
    private async Task<T> RetryAsync<T>(string what, Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                return await attempt(ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ApiException { Code: >= 500 } && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Could not {What} from {Server} ({Error}); retrying in {Delay}", what, options.Server, ex.Message, delay);
            }
            await Task.Delay(delay, time, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxBackoff.Ticks));
        }
    }
}
