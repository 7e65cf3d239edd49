using System.Net;
using Microsoft.Extensions.Logging;
using Orchestrator.Agent.Network;
using Orchestrator.Core.Client;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Services;

/// <summary>
/// The cluster-wide network settings the data path needs, from the server's ConfigMap
/// <c>kube-system/orchestrator-network</c> (keys serviceCIDR, clusterCIDR, clusterDomain, clusterDNS); the
/// Kubernetes defaults when a key is missing.
/// </summary>
public sealed record NetworkSettings(Ipv4Cidr ServiceCidr, Ipv4Cidr ClusterCidr, string ClusterDomain, IPAddress ClusterDns)
{
    public const string ConfigMapNamespace = "kube-system";
    public const string ConfigMapName = "orchestrator-network";

    public static readonly NetworkSettings Default = From(new Dictionary<string, string>());

    public static NetworkSettings From(IReadOnlyDictionary<string, string> data)
    {
        var service = Ipv4Cidr.TryParse(data.GetValueOrDefault("serviceCIDR"), out var s) ? s : Parse("10.96.0.0/12");
        var cluster = Ipv4Cidr.TryParse(data.GetValueOrDefault("clusterCIDR"), out var c) ? c : Parse("10.244.0.0/16");
        var domain = data.GetValueOrDefault("clusterDomain") is { Length: > 0 } d ? d.TrimEnd('.') : "cluster.local";
        var dns = IPAddress.TryParse(data.GetValueOrDefault("clusterDNS"), out var ip) ? ip : Offset(service, 10);
        return new NetworkSettings(service, cluster, domain, dns);
    }

    private static Ipv4Cidr Parse(string text) => Ipv4Cidr.TryParse(text, out var c) ? c : throw new FormatException(text);

    private static IPAddress Offset(Ipv4Cidr cidr, uint offset)
    {
        var v = cidr.Network + offset;
        return new IPAddress(new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v });
    }

    /// <summary>
    /// Reads the server's ConfigMap, retrying for a while when the server does not answer (it just did, for the
    /// join); the defaults when it has none (an older server) or never answers.
    /// </summary>
    public static async Task<NetworkSettings> ReadAsync(IKubeClient client, ILogger log, TimeProvider time, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var cm = await client.GetAsync(Kinds.ConfigMap, ConfigMapNamespace, ConfigMapName, ct);
                return cm == null ? Default : From(KubeObject.StringMap(cm["data"]));
            }
            catch (Exception e) when (e is ApiException or HttpRequestException or IOException && !ct.IsCancellationRequested)
            {
                if (attempt >= 10)
                {
                    log.LogWarning("Reading {Namespace}/{Name} failed ({Error}); using the default network settings", ConfigMapNamespace, ConfigMapName, e.Message);
                    return Default;
                }
                await Task.Delay(delay, time, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(3).Ticks));
            }
        }
    }
}
