using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// A pod's resolv.conf from its <c>dnsPolicy</c> and <c>dnsConfig</c> (upstream <c>pkg/kubelet/network/dns</c>):
/// <code>
/// policy                      hostNetwork=false         hostNetwork=true
/// ClusterFirst (default)      cluster                   node
/// ClusterFirstWithHostNet     cluster                   cluster
/// Default                     node                      node
/// None                        (empty)                   (empty)
///
/// cluster: nameserver CLUSTER_DNS; search NS.svc.DOMAIN svc.DOMAIN DOMAIN + the node's search domains; options ndots:5
/// node:    the node's resolv.conf (nameservers, search, options)
/// </code>
/// then <c>dnsConfig</c> is merged in: nameservers and searches appended without duplicates, options by name.
/// Limits as upstream: at most 3 nameservers, 32 search domains and 2048 characters of search line.
/// Without a cluster DNS address, ClusterFirst falls back to the node's configuration (as the kubelet does).
/// </summary>
public static class PodDnsConfig
{
    public const int MaxNameservers = 3;
    public const int MaxSearches = 32;
    public const int MaxSearchLineChars = 2048;

    public static ResolvConf For(JsonObject pod, ResolvConf node, string clusterDnsIp, string clusterDomain)
    {
        var spec = pod["spec"];
        var hostNetwork = spec.Bool("hostNetwork") == true;
        var policy = spec.Str("dnsPolicy") ?? "ClusterFirst";
        var useCluster = policy switch
        {
            "ClusterFirstWithHostNet" => true,
            "ClusterFirst" => !hostNetwork,
            _ => false,
        };
        if (useCluster && string.IsNullOrEmpty(clusterDnsIp)) useCluster = false;

        ResolvConf config;
        if (policy == "None")
        {
            config = ResolvConf.Empty;
        }
        else if (useCluster)
        {
            var ns = pod.Namespace() ?? "default";
            var searches = new List<string> { $"{ns}.svc.{clusterDomain}", $"svc.{clusterDomain}", clusterDomain };
            searches.AddRange(node.Searches);
            config = new ResolvConf([clusterDnsIp], Distinct(searches), ["ndots:5"]);
        }
        else
        {
            config = node;
        }

        if (spec?["dnsConfig"] is JsonObject dnsConfig)
        {
            config = new ResolvConf(
                Distinct(config.Nameservers.Concat(Strings(dnsConfig["nameservers"]))),
                Distinct(config.Searches.Concat(Strings(dnsConfig["searches"]))),
                ResolvConf.MergeOptions(config.Options, (dnsConfig["options"] as JsonArray ?? []).OfType<JsonObject>()
                    .Where(o => !string.IsNullOrEmpty(o.Str("name")))
                    .Select(o => o.Str("value") is { } v ? $"{o.Str("name")}:{v}" : o.Str("name")!)));
        }
        return FitLimits(config);
    }

    private static ResolvConf FitLimits(ResolvConf config)
    {
        var searches = new List<string>();
        var chars = 0;
        foreach (var s in config.Searches.Take(MaxSearches))
        {
            chars += s.Length + (searches.Count > 0 ? 1 : 0);
            if (chars > MaxSearchLineChars) break;
            searches.Add(s);
        }
        return new ResolvConf(config.Nameservers.Take(MaxNameservers).ToList(), searches, config.Options);
    }

    private static List<string> Distinct(IEnumerable<string> values) => values.Distinct(StringComparer.Ordinal).ToList();

    private static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null)
            .Where(s => !string.IsNullOrEmpty(s))!;
}
