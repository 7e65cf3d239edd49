using System.Net;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.Hosting;

/// <summary>The API server's command line (DESIGN.md "Command-line contract").</summary>
public sealed record ServerOptions
{
    public required string DataDir { get; init; }
    public string Bind { get; init; } = "0.0.0.0";
    public int Port { get; init; } = 6443;
    public string ServiceCidr { get; init; } = "10.96.0.0/12";
    public string ClusterCidr { get; init; } = "10.244.0.0/16";
    public int NodePortMin { get; init; } = 30000;
    public int NodePortMax { get; init; } = 32767;
    public string ClusterDomain { get; init; } = "cluster.local";
    public IReadOnlyList<string> TlsSans { get; init; } = [];

    /// <summary>The first address of the service CIDR: the <c>kubernetes</c> Service.</summary>
    public IPAddress KubernetesServiceIp => OffsetInCidr(ServiceCidr, 1);

    /// <summary>The tenth address of the service CIDR: the cluster DNS (10.96.0.10 by default).</summary>
    public IPAddress DnsServiceIp => OffsetInCidr(ServiceCidr, 10);

    public const string Usage = """
        Orchestrator.Api --data-dir DIR [--bind 0.0.0.0] [--port 6443] [--service-cidr 10.96.0.0/12]
                         [--cluster-cidr 10.244.0.0/16] [--node-port-range 30000-32767] [--cluster-domain cluster.local]
                         [--tls-san NAME_OR_IP ...]
        """;

    public static ServerOptions Parse(string[] args)
    {
        string? dataDir = null;
        var o = new ServerOptions { DataDir = "" };
        var sans = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value\n{Usage}");
            switch (args[i])
            {
                case "--data-dir": dataDir = Next(); break;
                case "--bind": o = o with { Bind = Next() }; break;
                case "--port": o = o with { Port = int.Parse(Next()) }; break;
                case "--service-cidr": o = o with { ServiceCidr = Next() }; break;
                case "--cluster-cidr": o = o with { ClusterCidr = Next() }; break;
                case "--node-port-range":
                    var parts = Next().Split('-');
                    if (parts.Length != 2) throw new ArgumentException($"--node-port-range takes MIN-MAX\n{Usage}");
                    o = o with { NodePortMin = int.Parse(parts[0]), NodePortMax = int.Parse(parts[1]) };
                    break;
                case "--cluster-domain": o = o with { ClusterDomain = Next() }; break;
                case "--tls-san":
                    // Several values may follow one flag, until the next flag.
                    sans.Add(Next());
                    while (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) sans.Add(args[++i]);
                    break;
                case "-h" or "--help": throw new ArgumentException(Usage);
                default:
                    if (args[i].StartsWith("--urls", StringComparison.Ordinal) || args[i].StartsWith("--environment", StringComparison.Ordinal)) { i++; break; }
                    throw new ArgumentException($"unknown argument {args[i]}\n{Usage}");
            }
        }
        if (string.IsNullOrEmpty(dataDir)) throw new ArgumentException($"--data-dir is required\n{Usage}");
        return o with { DataDir = Path.GetFullPath(dataDir), TlsSans = sans };
    }

    private static IPAddress OffsetInCidr(string cidr, int offset)
    {
        var network = IPNetwork.Parse(cidr);
        var bytes = network.BaseAddress.GetAddressBytes();
        var carry = offset;
        for (var i = bytes.Length - 1; i >= 0 && carry > 0; i--)
        {
            var sum = bytes[i] + carry;
            bytes[i] = (byte)(sum & 0xff);
            carry = sum >> 8;
        }
        return new IPAddress(bytes);
    }
}
