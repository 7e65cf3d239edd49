using System.Net;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Proxy;

/// <summary>
/// Computes the listeners a snapshot asks for on this node (pure). Per service port:
/// <list type="number">
/// <item>every cluster IP (not headless, not ExternalName; never the cluster DNS IP, which the DNS responder serves);</item>
/// <item>for NodePort and LoadBalancer services with a node port: that port on every node-port address;</item>
/// <item>LoadBalancer ingress IPs and externalIPs, when the address is local to this host.</item>
/// </list>
/// When two services claim one address:port, the first in key order keeps it (the API server's allocators make
/// that rare: only hand-set externalIPs can collide) and the loser is listed in <see cref="ListenerPlan.Collisions"/>.
/// </summary>
public static class ListenerPlanner
{
    public static ListenerPlan Plan(ClusterServices snapshot, NodeAddressSet addresses)
    {
        var listeners = new Dictionary<ListenerKey, DesiredListener>();
        var collisions = new List<DesiredListener>();
        var dns = snapshot.Settings.ClusterDns;
        foreach (var svc in snapshot.Services.Values.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (svc.Type == "ExternalName") continue;
            foreach (var port in svc.Ports)
            {
                if (port.Port <= 0) continue;
                if (!svc.Headless)
                    foreach (var ip in svc.ClusterIps)
                        if (!ip.Equals(dns)) Add(ip, port.Port, ListenerKind.ClusterIp);
                if (port.NodePort > 0 && svc.Type is "NodePort" or "LoadBalancer")
                    foreach (var ip in addresses.NodePort)
                        Add(ip, port.NodePort, ListenerKind.NodePort);
                if (svc.Type == "LoadBalancer")
                    foreach (var ip in svc.LoadBalancerIngress)
                        if (addresses.Local.Contains(ip)) Add(ip, port.Port, ListenerKind.LoadBalancerIngress);
                foreach (var ip in svc.ExternalIps)
                    if (addresses.Local.Contains(ip)) Add(ip, port.Port, ListenerKind.ExternalIp);

                void Add(IPAddress ip, int number, ListenerKind kind)
                {
                    var desired = new DesiredListener(new ListenerKey(ip, number, port.Protocol), svc.Key, port, kind);
                    if (!listeners.TryAdd(desired.Key, desired)) collisions.Add(desired);
                }
            }
        }
        return new ListenerPlan(listeners, collisions);
    }
}
