using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Api.Security;

/// <summary>
/// The client certificate the API server presents to node agents' streaming ports (as kube-apiserver's
/// <c>--kubelet-client-certificate</c>): signed by the cluster CA, <c>CN=orchestrator-apiserver-kubelet-client</c>,
/// clientAuth only. Agents serve logs, exec, attach and port-forward to this name alone. Kept next to the other TLS
/// files (<c>tls/apiserver-kubelet-client.crt|.key</c>) and re-issued when it nears its end or the CA changed.
/// </summary>
public static class AgentClientCertificate
{
    /// <summary>Must equal the agent's <c>StreamingProtocol.ApiServerClientCommonName</c>.</summary>
    public const string CommonName = "orchestrator-apiserver-kubelet-client";

    public static X509Certificate2 LoadOrCreate(string dataDir, X509Certificate2 ca)
    {
        var tlsDir = Path.Combine(dataDir, "tls");
        Directory.CreateDirectory(tlsDir);
        var crt = Path.Combine(tlsDir, "apiserver-kubelet-client.crt");
        var key = Path.Combine(tlsDir, "apiserver-kubelet-client.key");
        if (!File.Exists(crt) || !File.Exists(key) || !StillGood(crt, ca))
            Issue(ca, crt, key);
        using var pem = X509Certificate2.CreateFromPemFile(crt, key);
        // SslStream on Linux wants the key in an exportable, persisted form: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static bool StillGood(string crtPath, X509Certificate2 ca)
    {
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(crtPath));
        return cert.NotAfter > DateTime.UtcNow.AddDays(30) && cert.Issuer == ca.Subject
               && Orchestrator.Core.Client.ClusterCaTrust.Verify(ca, cert, new X509Chain());
    }

    private static void Issue(X509Certificate2 ca, string crtPath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN={CommonName}, O=system:masters", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var cert = req.Create(ca, now.AddMinutes(-5), now.AddYears(2), serial);
        ClusterCredentials.WriteAtomically(crtPath, cert.ExportCertificatePem());
        ClusterCredentials.WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem(), secret: true);
    }
}
