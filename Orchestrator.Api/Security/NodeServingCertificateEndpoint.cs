using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Security;

/// <summary>
/// <c>POST /node-serving-certificate</c> <c>{"csr": "-----BEGIN CERTIFICATE REQUEST-----…"}</c> →
/// <c>{"certificate": "-----BEGIN CERTIFICATE-----…"}</c>: signs the serving certificate of a node agent's streaming
/// port, like the kubelet-serving CSR signer. Only a node credential may ask, and only for itself: whatever the CSR
/// says, the certificate is for <c>CN=system:node:&lt;the caller's node&gt;</c> with that name as its DNS SAN, and the
/// API server checks exactly that name when it dials the node. The CSR's signature proves the caller holds the key.
/// </summary>
public static class NodeServingCertificateEndpoint
{
    public const string Path = "/node-serving-certificate";
    private static readonly TimeSpan Validity = TimeSpan.FromDays(365);

    public static async Task HandleAsync(HttpContext ctx)
    {
        if (ctx.Items[NodeAuthorizer.NodeItem] is not string node)
            throw ApiException.Forbidden("only a node credential may request a node serving certificate");
        var body = await RequestBody.ReadObjectAsync(ctx, ctx.RequestAborted);
        var csrPem = body.Str("csr") ?? throw ApiException.BadRequest("csr is required");
        CertificateRequest csr;
        try
        {
            csr = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.Default);
        }
        catch (CryptographicException ex)
        {
            throw ApiException.BadRequest($"csr is not a valid PEM certificate signing request: {ex.Message}");
        }

        var credentials = ctx.RequestServices.GetRequiredService<ClusterCredentials>();
        var certificate = Sign(credentials.CaCertificate, node, csr.PublicKey, DateTimeOffset.UtcNow);
        await ResponseWriter.WriteJsonAsync(ctx, new JsonObject { ["certificate"] = certificate.ExportCertificatePem() }, 200);
    }

    public static X509Certificate2 Sign(X509Certificate2 ca, string node, PublicKey publicKey, DateTimeOffset now)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("system:nodes");
        subject.AddCommonName("system:node:" + node);
        var req = new CertificateRequest(subject.Build(), publicKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(node);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        return req.Create(ca, now.AddMinutes(-5), now + Validity, serial);
    }
}
