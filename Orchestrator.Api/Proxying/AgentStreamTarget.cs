namespace Orchestrator.Api.Proxying;

/// <summary>
/// Where a pod's stream is served: the node (whose name its agent's serving certificate must carry), the address and
/// streaming port the node reported, and the pod and container on it.
/// </summary>
public sealed record AgentStreamTarget(string Node, string Address, int Port, string Namespace, string Pod, string PodUid, string? Container)
{
    /// <summary>The agent URL for <paramref name="pathAndQuery"/> (which starts with '/').</summary>
    public Uri Url(string pathAndQuery)
    {
        var host = System.Net.IPAddress.TryParse(Address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{Address}]"
            : Address;
        return new Uri($"https://{host}:{Port}{pathAndQuery}");
    }
}
