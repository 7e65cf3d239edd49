using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Agent.Node;
using Orchestrator.Core.Client;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Streaming;

/// <summary>
/// Gets the streaming port's serving certificate from the API server, as a kubelet's serving CSR: a fresh key pair
/// per start (the private key never leaves this process), a CSR posted with the node credential to
/// <c>POST /node-serving-certificate</c>, and back a certificate signed by the cluster CA for
/// <c>CN=system:node:&lt;name&gt;</c> — the name the API server checks when it dials this node.
/// </summary>
public sealed class ServingCertificateIssuer(AgentOptions options, NodeIdentity identity, JoinResult joined,
    ILogger<ServingCertificateIssuer> logger, TimeProvider time)
{
    public const string Path = "/node-serving-certificate";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Retries until the server signs (transport errors and 5xx); a refusal (4xx) throws.</summary>
    public async Task<X509Certificate2> ObtainAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                return await RequestAsync(ct);
            }
            catch (HttpRequestException ex) when (ex.StatusCode is null or >= HttpStatusCode.InternalServerError && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Could not get the streaming port's certificate from {Server} ({Error}); retrying in {Delay}",
                    options.Server, ex.Message, delay);
            }
            catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning("Could not get the streaming port's certificate from {Server} ({Error}); retrying in {Delay}",
                    options.Server, ex.Message, delay);
            }
            await Task.Delay(delay, time, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task<X509Certificate2> RequestAsync(CancellationToken ct)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={StreamingProtocol.NodeCommonName(identity.Name)}", key, HashAlgorithmName.SHA256);
        var csr = request.CreateSigningRequestPem();

        using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = ClusterCaTrust.For(joined.CaPem) } };
        using var http = new HttpClient(handler) { BaseAddress = options.Server, Timeout = RequestTimeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", joined.Token);
        using var response = await http.PostAsJsonAsync(Path, new JsonObject { ["csr"] = csr }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST {Path} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        var pem = JsonNode.Parse(text).Str("certificate")
            ?? throw new HttpRequestException($"POST {Path} answered without a certificate");

        using var issued = X509Certificate2.CreateFromPem(pem);
        using var ca = X509Certificate2.CreateFromPem(joined.CaPem);
        using var chain = new X509Chain();
        if (!ClusterCaTrust.Verify(ca, issued, chain))
            throw new HttpRequestException($"POST {Path} answered with a certificate the cluster CA did not sign");
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel on Linux needs the key in a persisted, exportable form: round-trip through PKCS#12.
        var certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        logger.LogInformation("Streaming port certificate issued for {Subject}, valid until {NotAfter:u}", certificate.Subject, certificate.NotAfter);
        return certificate;
    }
}
