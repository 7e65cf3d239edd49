using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Core.Client;

/// <summary>
/// Trusting exactly the cluster CA (and not the machine's store) when talking to the API server: agents, the
/// simulator, tools and tests all verify the serving certificate this way.
/// </summary>
public static class ClusterCaTrust
{
    /// <summary>A TLS validation callback accepting only certificates that chain to the CA given as PEM.</summary>
    public static RemoteCertificateValidationCallback For(string caPem)
    {
        var ca = X509Certificate2.CreateFromPem(caPem);
        return (_, cert, chain, _) => Verify(ca, cert, chain);
    }

    public static bool Verify(X509Certificate2 ca, X509Certificate? cert, X509Chain? chain)
    {
        if (cert == null || chain == null) return false;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert as X509Certificate2 ?? new X509Certificate2(cert));
    }
}
