using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Security;

/// <summary>
/// The cluster's CA, serving certificate and secrets, created on first start in the data directory and reused after:
/// <code>
///   tls/ca.crt, tls/ca.key          cluster CA (ECDSA P-256, 10 years)
///   tls/server.crt, tls/server.key  serving certificate signed by the CA; SANs: host IPv4s, 127.0.0.1, localhost,
///                                   --tls-san values, the kubernetes service IP and DNS names
///   tokens.json                     admin bearer token and the node join secret
/// </code>
/// The serving certificate is re-issued when a requested SAN is missing from it (e.g. a new --tls-san).
/// </summary>
public sealed class ClusterCredentials
{
    public X509Certificate2 CaCertificate { get; }
    public X509Certificate2 ServingCertificate { get; }
    public string AdminToken { get; }
    public string NodeJoinSecret { get; }

    /// <summary>The PEM of the CA, as served on /cacerts and written into kubeconfigs.</summary>
    public string CaPem { get; }

    private ClusterCredentials(X509Certificate2 ca, X509Certificate2 serving, string adminToken, string joinSecret, string caPem)
    {
        CaCertificate = ca;
        ServingCertificate = serving;
        AdminToken = adminToken;
        NodeJoinSecret = joinSecret;
        CaPem = caPem;
    }

    /// <summary>SHA-256 of the CA certificate's PEM, the hash a node token carries (as k3s does).</summary>
    public string CaHash => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(CaPem)));

    /// <summary>The node token: <c>K10&lt;ca-hash&gt;::node:&lt;secret&gt;</c>.</summary>
    public string NodeToken => $"K10{CaHash}::node:{NodeJoinSecret}";

    public static ClusterCredentials LoadOrCreate(string dataDir, IEnumerable<string> extraSans, IPAddress kubernetesServiceIp, string clusterDomain)
    {
        var tlsDir = Path.Combine(dataDir, "tls");
        Directory.CreateDirectory(tlsDir);
        var caCrt = Path.Combine(tlsDir, "ca.crt");
        var caKey = Path.Combine(tlsDir, "ca.key");
        if (!File.Exists(caCrt) || !File.Exists(caKey))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var req = new CertificateRequest("CN=orchestrator-ca", key, HashAlgorithmName.SHA256);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
            req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
            var now = DateTimeOffset.UtcNow;
            using var ca = req.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
            WriteAtomically(caCrt, ca.ExportCertificatePem());
            WriteAtomically(caKey, key.ExportPkcs8PrivateKeyPem(), secret: true);
        }
        var caPem = File.ReadAllText(caCrt);
        var caCert = X509Certificate2.CreateFromPemFile(caCrt, caKey);

        var (dnsNames, ips) = WantedSans(extraSans, kubernetesServiceIp, clusterDomain);
        var srvCrt = Path.Combine(tlsDir, "server.crt");
        var srvKey = Path.Combine(tlsDir, "server.key");
        if (!File.Exists(srvCrt) || !File.Exists(srvKey) || !CoversSans(srvCrt, dnsNames, ips))
            IssueServing(caCert, srvCrt, srvKey, dnsNames, ips);
        // Kestrel on Linux needs the key in an exportable form; re-import through PKCS#12 to get one.
        using var pemCert = X509Certificate2.CreateFromPemFile(srvCrt, srvKey);
        var serving = X509CertificateLoader.LoadPkcs12(pemCert.Export(X509ContentType.Pkcs12), null);

        var tokensPath = Path.Combine(dataDir, "tokens.json");
        if (!File.Exists(tokensPath))
        {
            var doc = new JsonObject { ["admin"] = NewSecret(), ["nodeJoin"] = NewSecret() };
            WriteAtomically(tokensPath, doc.ToJsonString(), secret: true);
        }
        var tokens = JsonNode.Parse(File.ReadAllText(tokensPath))!;
        return new ClusterCredentials(caCert, serving, tokens["admin"]!.GetValue<string>(), tokens["nodeJoin"]!.GetValue<string>(), caPem);
    }

    /// <summary>Every address of this host a client might dial, plus the names pods use for the API.</summary>
    private static (SortedSet<string> Dns, SortedSet<string> Ips) WantedSans(IEnumerable<string> extra, IPAddress serviceIp, string domain)
    {
        var dns = new SortedSet<string>(StringComparer.Ordinal)
        {
            "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", $"kubernetes.default.svc.{domain}",
        };
        var ips = new SortedSet<string>(StringComparer.Ordinal) { "127.0.0.1", serviceIp.ToString() };
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            foreach (var a in nic.GetIPProperties().UnicastAddresses)
                if (a.Address.AddressFamily == AddressFamily.InterNetwork) ips.Add(a.Address.ToString());
        try
        {
            dns.Add(Dns.GetHostName());
        }
        catch (SocketException)
        {
        }
        foreach (var san in extra)
        {
            if (IPAddress.TryParse(san, out var ip)) ips.Add(ip.ToString());
            else if (!string.IsNullOrWhiteSpace(san)) dns.Add(san);
        }
        return (dns, ips);
    }

    private static bool CoversSans(string certPath, SortedSet<string> dns, SortedSet<string> ips)
    {
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(certPath));
        if (cert.NotAfter < DateTime.UtcNow.AddDays(30)) return false;
        var ext = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (ext == null) return false;
        var haveDns = ext.EnumerateDnsNames().ToHashSet(StringComparer.Ordinal);
        var haveIps = ext.EnumerateIPAddresses().Select(i => i.ToString()).ToHashSet(StringComparer.Ordinal);
        return dns.All(haveDns.Contains) && ips.All(haveIps.Contains);
    }

    private static void IssueServing(X509Certificate2 ca, string crtPath, string keyPath, SortedSet<string> dns, SortedSet<string> ips)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=orchestrator-apiserver", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var d in dns) san.AddDnsName(d);
        foreach (var ip in ips) san.AddIpAddress(IPAddress.Parse(ip));
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var cert = req.Create(ca, now.AddMinutes(-5), now.AddYears(2), serial);
        WriteAtomically(crtPath, cert.ExportCertificatePem());
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem(), secret: true);
    }

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>Write to a temporary file and rename, so a crash never leaves a half-written key or token file.</summary>
    public static void WriteAtomically(string path, string content, bool secret = false)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, content);
        if (secret && !OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, path, overwrite: true);
    }
}
