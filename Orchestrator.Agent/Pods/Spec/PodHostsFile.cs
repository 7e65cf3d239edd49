using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// The contents of a pod's <c>/etc/hosts</c>, as the kubelet writes its <c>etc-hosts</c> file: the localhost lines,
/// the pod's own address with its FQDN and hostname (once the sandbox has an IP), then <c>hostAliases</c>.
/// A <c>hostNetwork</c> pod gets the node's hosts file instead (plus its aliases).
/// </summary>
public static class PodHostsFile
{
    public static string Managed(PodHostname name, string? podIp, JsonArray? hostAliases)
    {
        var sb = new StringBuilder();
        sb.Append("# Kubernetes-managed hosts file.\n");
        sb.Append("127.0.0.1\tlocalhost\n");
        sb.Append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        sb.Append("fe00::0\tip6-localnet\n");
        sb.Append("fe00::0\tip6-mcastprefix\n");
        sb.Append("fe00::1\tip6-allnodes\n");
        sb.Append("fe00::2\tip6-allrouters\n");
        if (!string.IsNullOrEmpty(podIp))
        {
            sb.Append(podIp).Append('\t');
            if (name.Fqdn != null) sb.Append(name.Fqdn).Append('\t');
            sb.Append(name.Hostname).Append('\n');
        }
        AppendAliases(sb, hostAliases);
        return sb.ToString();
    }

    public static string HostNetwork(string nodeHosts, JsonArray? hostAliases)
    {
        var sb = new StringBuilder();
        sb.Append("# Kubernetes-managed hosts file (host network).\n");
        sb.Append(nodeHosts);
        if (nodeHosts.Length > 0 && !nodeHosts.EndsWith('\n')) sb.Append('\n');
        AppendAliases(sb, hostAliases);
        return sb.ToString();
    }

    private static void AppendAliases(StringBuilder sb, JsonArray? hostAliases)
    {
        var aliases = (hostAliases ?? []).OfType<JsonObject>().ToList();
        if (aliases.Count == 0) return;
        sb.Append("\n# Entries added by HostAliases.\n");
        foreach (var alias in aliases)
        {
            var names = (alias["hostnames"] as JsonArray ?? []).OfType<JsonValue>()
                .Select(v => v.TryGetValue<string>(out var s) ? s : null).Where(s => !string.IsNullOrEmpty(s));
            sb.Append(alias.Str("ip")).Append('\t').Append(string.Join('\t', names)).Append('\n');
        }
    }
}
