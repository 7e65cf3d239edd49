using System.Globalization;
using System.Net;

namespace Orchestrator.Agent.Node;

/// <summary>
/// The agent's command line (shared/DESIGN.md "Command-line contract"). Parsing is pure: defaults that depend on the
/// machine (hostname, node IP) are resolved later by <see cref="NodeIdentity"/>, so a test can parse any argument list.
/// </summary>
public sealed record AgentOptions
{
    public const string DefaultDataDir = "/var/lib/orchestrator-agent";
    public static readonly TimeSpan DefaultLeaseInterval = TimeSpan.FromSeconds(5);
    public const int DefaultKubeletPort = 10250;

    public const string Usage =
        """
        Usage: Orchestrator.Agent --server https://HOST:PORT --token-file FILE [--node-name NAME] [--node-ip IP]
                                  [--docker-host unix:///var/run/docker.sock] [--data-dir DIR] [--lease-interval 5s]
                                  [--kubelet-port 10250]

          --server          the API server's URL (https only)
          --token-file      the server's node-token file (K10<ca-sha256>::node:<secret>)
          --node-name       this node's name (default: the hostname, lower-cased)
          --node-ip         this node's InternalIP (default: the first non-loopback IPv4)
          --docker-host     the Docker engine (default: unix:///var/run/docker.sock)
          --data-dir        where the CA and the node credential are kept (default: /var/lib/orchestrator-agent)
          --lease-interval  how often the node Lease is renewed (default: 5s; units ms, s, m)
          --kubelet-port    the HTTPS port the API server reaches for logs, exec, attach, port-forward (default: 10250)
        """;

    public required Uri Server { get; init; }
    public required string TokenFile { get; init; }
    public string? NodeName { get; init; }
    public IPAddress? NodeIp { get; init; }
    public string DockerHost { get; init; } = Runtime.DockerEndpoint.DefaultUri;
    public string DataDir { get; init; } = DefaultDataDir;
    public TimeSpan LeaseInterval { get; init; } = DefaultLeaseInterval;
    public int KubeletPort { get; init; } = DefaultKubeletPort;

    /// <summary>True when <paramref name="args"/> asks for help (the caller prints <see cref="Usage"/> and exits 0).</summary>
    public static bool IsHelp(IReadOnlyList<string> args) => args.Any(a => a is "-h" or "--help");

    /// <summary>
    /// Parses <c>--flag value</c> and <c>--flag=value</c>. On failure returns false with a one-line reason in
    /// <paramref name="error"/>; the caller prints it with the usage and exits 2.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> args, out AgentOptions? options, out string? error)
    {
        options = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                return Fail($"unexpected argument '{arg}'", out error);
            string name, value;
            var eq = arg.IndexOf('=');
            if (eq > 0)
            {
                name = arg[2..eq];
                value = arg[(eq + 1)..];
            }
            else
            {
                name = arg[2..];
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    return Fail($"--{name} needs a value", out error);
                value = args[++i];
            }
            if (name is not ("server" or "token-file" or "node-name" or "node-ip" or "docker-host" or "data-dir" or "lease-interval" or "kubelet-port"))
                return Fail($"unknown option --{name}", out error);
            if (!values.TryAdd(name, value))
                return Fail($"--{name} given twice", out error);
        }

        if (!values.TryGetValue("server", out var serverText))
            return Fail("--server is required", out error);
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || server.Scheme != Uri.UriSchemeHttps
            || server.AbsolutePath != "/" || !string.IsNullOrEmpty(server.Query))
            return Fail($"--server '{serverText}' is not an https://HOST:PORT URL", out error);
        if (!values.TryGetValue("token-file", out var tokenFile) || tokenFile.Length == 0)
            return Fail("--token-file is required", out error);

        string? nodeName = null;
        if (values.TryGetValue("node-name", out var n))
        {
            nodeName = n.ToLowerInvariant();
            var problems = Orchestrator.Core.Validation.NameValidation.IsDns1123Subdomain(nodeName);
            if (problems.Count > 0)
                return Fail($"--node-name '{n}' is not a valid node name: {string.Join("; ", problems)}", out error);
        }

        IPAddress? nodeIp = null;
        if (values.TryGetValue("node-ip", out var ipText)
            && (!IPAddress.TryParse(ipText, out nodeIp) || nodeIp.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork))
            return Fail($"--node-ip '{ipText}' is not an IPv4 address", out error);

        var dockerHost = values.GetValueOrDefault("docker-host", Runtime.DockerEndpoint.DefaultUri);
        try
        {
            Runtime.DockerEndpoint.Parse(dockerHost);
        }
        catch (FormatException ex)
        {
            return Fail(ex.Message, out error);
        }

        var dataDir = values.GetValueOrDefault("data-dir", DefaultDataDir);
        if (dataDir.Length == 0)
            return Fail("--data-dir must not be empty", out error);

        var leaseInterval = DefaultLeaseInterval;
        if (values.TryGetValue("lease-interval", out var intervalText)
            && (!TryParseDuration(intervalText, out leaseInterval) || leaseInterval <= TimeSpan.Zero))
            return Fail($"--lease-interval '{intervalText}' is not a positive duration like 5s, 500ms or 1m", out error);

        var kubeletPort = DefaultKubeletPort;
        if (values.TryGetValue("kubelet-port", out var portText)
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out kubeletPort) || kubeletPort is < 1 or > 65535))
            return Fail($"--kubelet-port '{portText}' is not a port number (1-65535)", out error);

        options = new AgentOptions
        {
            Server = server,
            TokenFile = tokenFile,
            NodeName = nodeName,
            NodeIp = nodeIp,
            DockerHost = dockerHost,
            DataDir = dataDir,
            LeaseInterval = leaseInterval,
            KubeletPort = kubeletPort,
        };
        error = null;
        return true;
    }

    /// <summary>A Go-style duration with one unit: <c>500ms</c>, <c>5s</c>, <c>1.5s</c>, <c>2m</c>, <c>1h</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 1.0),
            _ when text.EndsWith('s') => (text[..^1], 1000.0),
            _ when text.EndsWith('m') => (text[..^1], 60_000.0),
            _ when text.EndsWith('h') => (text[..^1], 3_600_000.0),
            _ => ("", 0.0),
        };
        if (number.Length == 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return false;
        duration = TimeSpan.FromMilliseconds(value * scale);
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}
