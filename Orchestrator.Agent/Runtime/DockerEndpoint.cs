using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Agent.Runtime;

/// <summary>
/// Where the Docker daemon listens, parsed from a <c>--docker-host</c> style URI:
/// <c>unix:///var/run/docker.sock</c> (the default) or <c>tcp://host:port</c>.
/// </summary>
public sealed record DockerEndpoint
{
    public const string DefaultUri = "unix:///var/run/docker.sock";

    private DockerEndpoint(string uri, string? socketPath, string? host, int port)
    {
        Uri = uri;
        SocketPath = socketPath;
        Host = host;
        Port = port;
    }

    /// <summary>The URI as given.</summary>
    public string Uri { get; }

    /// <summary>The unix socket path, or null for TCP.</summary>
    public string? SocketPath { get; }

    /// <summary>The TCP host, or null for a unix socket.</summary>
    public string? Host { get; }

    public int Port { get; }

    public bool IsUnix => SocketPath is not null;

    public static DockerEndpoint Default { get; } = Parse(DefaultUri);

    /// <summary>Parses <c>unix:///path</c>, <c>tcp://host:port</c> (port defaults to 2375) or a bare absolute socket path.</summary>
    public static DockerEndpoint Parse(string uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        if (uri.StartsWith('/'))
            return new DockerEndpoint(uri, uri, null, 0);
        if (uri.StartsWith("unix://", StringComparison.OrdinalIgnoreCase))
        {
            var path = uri["unix://".Length..];
            if (path.Length == 0 || path[0] != '/')
                throw new FormatException($"Docker host '{uri}': a unix socket needs an absolute path (unix:///var/run/docker.sock).");
            return new DockerEndpoint(uri, path, null, 0);
        }
        if (uri.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = uri["tcp://".Length..].TrimEnd('/');
            // Split on the last colon so that "[::1]:2375" keeps its brackets for the host part.
            var colon = rest.LastIndexOf(':');
            var closing = rest.LastIndexOf(']');
            string host;
            int port = 2375;
            if (colon > closing && colon >= 0)
            {
                host = rest[..colon];
                if (!int.TryParse(rest[(colon + 1)..], out port) || port is <= 0 or > 65535)
                    throw new FormatException($"Docker host '{uri}': invalid port.");
            }
            else
            {
                host = rest;
            }
            host = host.Trim('[', ']');
            if (host.Length == 0)
                throw new FormatException($"Docker host '{uri}': missing host.");
            return new DockerEndpoint(uri, null, host, port);
        }
        throw new FormatException($"Docker host '{uri}': only unix:// and tcp:// are supported.");
    }

    /// <summary>Opens a connected socket to the daemon. The caller owns it.</summary>
    public async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        Socket socket;
        EndPoint endPoint;
        if (SocketPath is not null)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            endPoint = new UnixDomainSocketEndPoint(SocketPath);
        }
        else
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            endPoint = IPAddress.TryParse(Host, out var ip) ? new IPEndPoint(ip, Port) : new DnsEndPoint(Host!, Port);
        }
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override string ToString() => Uri;
}
