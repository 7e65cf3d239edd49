using System.Text;

namespace Orchestrator.Api.Security;

/// <summary>Writes admin.kubeconfig and node-token into the data directory once the server is ready to serve.</summary>
public static class KubeconfigWriter
{
    public static void WriteAll(string dataDir, ClusterCredentials credentials, int port)
    {
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.CaPem));
        var kubeconfig = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: orchestrator
              cluster:
                server: https://127.0.0.1:{port}
                certificate-authority-data: {ca}
            users:
            - name: admin
              user:
                token: {credentials.AdminToken}
            contexts:
            - name: orchestrator
              context:
                cluster: orchestrator
                user: admin
                namespace: default
            current-context: orchestrator
            """;
        ClusterCredentials.WriteAtomically(Path.Combine(dataDir, "admin.kubeconfig"), kubeconfig + "\n", secret: true);
        ClusterCredentials.WriteAtomically(Path.Combine(dataDir, "node-token"), credentials.NodeToken + "\n", secret: true);
    }
}
