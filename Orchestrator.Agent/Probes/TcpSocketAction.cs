using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// The tcpSocket handler: the probe passes when a TCP connection to the port opens within the timeout; the
/// connection is closed at once without sending anything. Host defaults to the pod IP.
/// </summary>
public sealed class TcpSocketAction(TimeProvider time)
{
    /// <summary>
    /// Null when the connection opened; otherwise the kubelet's failure text (<c>dial tcp 10.1.2.3:80: connect:
    /// connection refused</c>, <c>dial tcp 10.1.2.3:80: i/o timeout</c>).
    /// </summary>
    public async Task<string?> ConnectAsync(ContainerProbeTarget target, JsonObject tcpSocket, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var host = tcpSocket.Str("host");
        if (string.IsNullOrEmpty(host))
            host = target.PodIp;
        if (string.IsNullOrEmpty(host))
            throw new HandlerSpecException("the pod has no IP yet");
        var port = ContainerPortResolver.Resolve(tcpSocket["port"], target.Container);
        var hostPort = GoNetErrorText.JoinHostPort(host.Trim('[', ']'), port);

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            EndPoint endpoint = IPAddress.TryParse(host.Trim('[', ']'), out var ip)
                ? new IPEndPoint(ip, port)
                : new DnsEndPoint(host, port);
            await socket.ConnectAsync(endpoint, linked.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return GoNetErrorText.DialTimeout(hostPort);
        }
        catch (SocketException e)
        {
            return GoNetErrorText.Dial(hostPort, e);
        }
    }
}
