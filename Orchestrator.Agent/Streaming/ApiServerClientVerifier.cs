using System.Security.Cryptography.X509Certificates;
using Orchestrator.Core.Client;

namespace Orchestrator.Agent.Streaming;

/// <summary>
/// Who may use the streaming port: only a TLS client whose certificate chains to the cluster CA and names the API
/// server's kubelet client (<see cref="StreamingProtocol.ApiServerClientCommonName"/>). Node certificates and the
/// API server's serving certificate are signed by the same CA, hence the name check and the clientAuth usage.
/// </summary>
public sealed class ApiServerClientVerifier(string caPem)
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private readonly X509Certificate2 _ca = X509Certificate2.CreateFromPem(caPem);

    public bool IsApiServer(X509Certificate2? certificate)
    {
        if (certificate == null) return false;
        using var chain = new X509Chain();
        if (!ClusterCaTrust.Verify(_ca, certificate, chain)) return false;
        if (certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) != StreamingProtocol.ApiServerClientCommonName) return false;
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages;
        return usages != null && usages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == ClientAuthOid);
    }
}
