namespace Orchestrator.Agent.Streaming;

/// <summary>
/// The names both ends of the streaming port agree on. The API server side (<c>Orchestrator.Api/Proxying</c>) carries
/// the same values; the end-to-end tests fail when they drift apart.
/// </summary>
public static class StreamingProtocol
{
    /// <summary>The remote-command WebSocket protocol kubectl 1.30+ speaks (KUBECTL.md §3.8).</summary>
    public const string V5Channel = "v5.channel.k8s.io";
    /// <summary>As v5 without the close-stream signal (channel 255); still offered by some clients.</summary>
    public const string V4Channel = "v4.channel.k8s.io";
    /// <summary>Port-forward: SPDY/3.1 frames tunnelled in binary WebSocket messages (kubectl 1.31+).</summary>
    public const string SpdyPortForward = "SPDY/3.1+portforward.k8s.io";

    /// <summary>The only client the agent's port serves: the API server's client certificate carries this CN.</summary>
    public const string ApiServerClientCommonName = "orchestrator-apiserver-kubelet-client";

    /// <summary>The CN of a node's serving certificate (as kubelet serving certificates are named).</summary>
    public static string NodeCommonName(string node) => "system:node:" + node;
}
