using System.Net;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Network.Programming;

/// <summary>
/// Turns a <see cref="ClusterServices"/> snapshot into the <see cref="DesiredNetwork"/> (pure):
/// <list type="number">
/// <item>addresses: every IPv4 clusterIP of every service (the <c>kubernetes</c> service included) and the cluster
///   DNS IP, each once;</item>
/// <item>an <c>unreachable</c> route for the service CIDR: an address nobody serves fails at once and nothing
///   toward it leaves the machine;</item>
/// <item>with pod routes on: an <c>unreachable</c> route for the cluster CIDR (pod addresses of unknown nodes fail
///   fast; the Docker bridge's route for the local podCIDR and the routes below are more specific and win), and per
///   other node with a podCIDR and an InternalIP on a directly connected subnet a route to its podCIDR via that IP
///   (host-gw). Never a route for this node's own podCIDR, nor for one that overlaps it;</item>
/// <item>with pod routes on and the local podCIDR known: pod-to-cluster traffic is not masqueraded (a RETURN in
///   nat POSTROUTING ahead of Docker's MASQUERADE) and is let through Docker's forward filter both ways; so are
///   connections from every other node's InternalIP to local pods (the proxy on another node dials a backend here
///   from its node address, which Docker's DROP policy would stop).</item>
/// </list>
/// </summary>
public static class DesiredNetworkBuilder
{
    public const string NatTable = "nat";
    public const string NatChain = "POSTROUTING";
    public const string FilterTable = "filter";

    /// <param name="routes">The main table as read: its connected subnets decide which node IPs are next hops.</param>
    public static DesiredNetwork Build(ClusterServices snapshot, NodeNetworkOptions options, IReadOnlyList<KernelRoute> routes)
    {
        var settings = snapshot.Settings;
        var addresses = new HashSet<IPAddress>();
        if (Ipv4Math.IsAssignable(settings.ClusterDns)) addresses.Add(settings.ClusterDns);
        foreach (var svc in snapshot.Services.Values)
            foreach (var ip in svc.ClusterIps)
                if (Ipv4Math.IsAssignable(ip)) addresses.Add(ip);
        var sorted = addresses.ToList();
        sorted.Sort(Ipv4Math.Compare);

        var desiredRoutes = new List<DesiredRoute> { new(settings.ServiceCidr, null, "service CIDR") };
        var rules = new List<IptablesRule>();
        var skipped = new List<SkippedNode>();
        if (options.PodRoutes)
        {
            var local = snapshot.ThisNode?.PodCidr;
            if (!Ipv4Math.Overlaps(settings.ClusterCidr, settings.ServiceCidr))
                desiredRoutes.Add(new DesiredRoute(settings.ClusterCidr, null, "cluster CIDR"));
            var connected = routes.Where(r => r.IsConnectedSubnet).Select(r => r.Destination!).ToList();
            foreach (var node in snapshot.Nodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                if (node.Name == snapshot.NodeName || node.PodCidr is null || node.InternalIp is null) continue;
                if (local is not null && Ipv4Math.Overlaps(node.PodCidr, local))
                    skipped.Add(new SkippedNode(node.Name, $"its podCIDR {node.PodCidr} overlaps this node's {local}"));
                else if (Ipv4Math.Overlaps(node.PodCidr, settings.ServiceCidr))
                    skipped.Add(new SkippedNode(node.Name, $"its podCIDR {node.PodCidr} overlaps the service CIDR {settings.ServiceCidr}"));
                else if (!connected.Any(c => Ipv4Math.Contains(c, node.InternalIp)))
                    skipped.Add(new SkippedNode(node.Name, $"its InternalIP {node.InternalIp} is not on a directly connected subnet"));
                else if (desiredRoutes.FirstOrDefault(r => r.Gateway is not null && Ipv4Math.Overlaps(r.Destination, node.PodCidr)) is { } taken)
                    skipped.Add(new SkippedNode(node.Name, $"its podCIDR {node.PodCidr} overlaps {taken.Why}'s {taken.Destination}"));
                else
                    desiredRoutes.Add(new DesiredRoute(node.PodCidr, node.InternalIp, $"node {node.Name}"));
            }
            if (local is not null)
            {
                var comment = new[] { "-m", "comment", "--comment", options.RuleComment };
                var pods = local.ToString();
                var cluster = settings.ClusterCidr.ToString();
                rules.Add(new IptablesRule(NatTable, NatChain, [.. new[] { "-s", pods, "-d", cluster }, .. comment, "-j", "RETURN"]));
                rules.Add(new IptablesRule(FilterTable, options.ForwardChain, [.. new[] { "-s", cluster, "-d", pods }, .. comment, "-j", "ACCEPT"]));
                rules.Add(new IptablesRule(FilterTable, options.ForwardChain, [.. new[] { "-s", pods, "-d", cluster }, .. comment, "-j", "ACCEPT"]));
                // Other nodes' own addresses too: their proxies dial our pods from the node's address.
                foreach (var node in snapshot.Nodes.Values.Where(n => n.Name != snapshot.NodeName && n.InternalIp is not null)
                             .Select(n => n.InternalIp!).Distinct().Order(Comparer<IPAddress>.Create(Ipv4Math.Compare)))
                    rules.Add(new IptablesRule(FilterTable, options.ForwardChain, [.. new[] { "-s", $"{node}/32", "-d", pods }, .. comment, "-j", "ACCEPT"]));
            }
        }
        return new DesiredNetwork(sorted, desiredRoutes, rules, skipped);
    }
}
