using System.Net.Sockets;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// Socket errors worded as Go's net package words them, because the kubelet's probe messages (which users grep
/// for and tutorials quote) are Go error strings: <c>dial tcp 10.1.2.3:8080: connect: connection refused</c>.
/// </summary>
public static class GoNetErrorText
{
    /// <summary><c>dial tcp HOST:PORT: …</c> for a failed connect.</summary>
    public static string Dial(string hostPort, Exception error) => $"dial tcp {hostPort}: {Describe(error)}";

    /// <summary><c>dial tcp HOST:PORT: i/o timeout</c>: the connect did not finish within the probe's timeout.</summary>
    public static string DialTimeout(string hostPort) => $"dial tcp {hostPort}: i/o timeout";

    /// <summary>The part after <c>dial tcp HOST:PORT: </c>.</summary>
    public static string Describe(Exception error)
    {
        var socket = error as SocketException ?? error.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connect: connection refused",
            SocketError.HostUnreachable => "connect: no route to host",
            SocketError.NetworkUnreachable => "connect: network is unreachable",
            SocketError.TimedOut => "i/o timeout",
            SocketError.ConnectionReset => "read: connection reset by peer",
            SocketError.HostNotFound or SocketError.NoData => "no such host",
            _ => (socket ?? error).Message,
        };
    }

    /// <summary>Host and port as Go's <c>net.JoinHostPort</c> writes them (brackets around IPv6 literals).</summary>
    public static string JoinHostPort(string host, int port) =>
        host.Contains(':') && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";
}
