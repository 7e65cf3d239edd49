using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// The service environment variables the kubelet gives every container (upstream <c>pkg/kubelet/envvars</c> and
/// <c>getServiceEnvVarMap</c>). For Service <c>redis-primary</c> at 10.0.0.11 with port 6379/TCP named <c>redis</c>:
/// <code>
/// REDIS_PRIMARY_SERVICE_HOST=10.0.0.11
/// REDIS_PRIMARY_SERVICE_PORT=6379                  first port only
/// REDIS_PRIMARY_SERVICE_PORT_REDIS=6379            one per named port
/// REDIS_PRIMARY_PORT=tcp://10.0.0.11:6379          Docker-links style, first port only
/// REDIS_PRIMARY_PORT_6379_TCP=tcp://10.0.0.11:6379 and _PROTO, _PORT, _ADDR, for every port
/// </code>
/// Which services: those of the pod's namespace that have a cluster IP (not headless, not ExternalName), unless
/// <c>enableServiceLinks: false</c>; plus the master service <c>kubernetes</c> from <c>default</c> always (a
/// namespace's own Service of that name wins).
/// </summary>
public static class ServiceEnvironment
{
    public const string MasterServiceNamespace = "default";
    public const string MasterServiceName = "kubernetes";

    /// <summary>The services a pod sees, by name (sorted, so the variables come out in a stable order).</summary>
    public static IReadOnlyList<JsonObject> VisibleServices(string podNamespace, bool enableServiceLinks,
        IReadOnlyList<JsonObject> namespaceServices, IReadOnlyList<JsonObject> defaultServices)
    {
        var byName = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        if (enableServiceLinks)
            foreach (var service in namespaceServices.Where(HasClusterIp))
                byName[service.Name() ?? ""] = service;
        var master = defaultServices.FirstOrDefault(s => s.Name() == MasterServiceName && HasClusterIp(s));
        if (master != null && !byName.ContainsKey(MasterServiceName))
            byName[MasterServiceName] = master;
        return byName.Values.ToList();
    }

    /// <summary>The variables of these services, in order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(IEnumerable<JsonObject> services)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var service in services)
        {
            var ip = service["spec"].Str("clusterIP");
            if (!HasClusterIp(service) || ip == null) continue;
            var prefix = VariableName(service.Name() ?? "");
            var ports = (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            result.Add(new(prefix + "_SERVICE_HOST", ip));
            if (ports.Count == 0) continue;
            result.Add(new(prefix + "_SERVICE_PORT", PortOf(ports[0])));
            foreach (var port in ports)
                if (port.Str("name") is { Length: > 0 } portName)
                    result.Add(new(prefix + "_SERVICE_PORT_" + VariableName(portName), PortOf(port)));

            // Docker-links style, as `docker run --link` made them.
            for (var i = 0; i < ports.Count; i++)
            {
                var protocol = ports[i].Str("protocol") ?? "TCP";
                var port = PortOf(ports[i]);
                var url = $"{protocol.ToLowerInvariant()}://{JoinHostPort(ip, port)}";
                var portPrefix = $"{prefix}_PORT_{port}_{protocol.ToUpperInvariant()}";
                if (i == 0) result.Add(new(prefix + "_PORT", url));
                result.Add(new(portPrefix, url));
                result.Add(new(portPrefix + "_PROTO", protocol.ToLowerInvariant()));
                result.Add(new(portPrefix + "_PORT", port));
                result.Add(new(portPrefix + "_ADDR", ip));
            }
        }
        return result;
    }

    /// <summary>A service has a cluster IP unless it is headless (<c>None</c>) or has none (ExternalName).</summary>
    public static bool HasClusterIp(JsonObject service)
    {
        var ip = service["spec"].Str("clusterIP");
        return !string.IsNullOrEmpty(ip) && ip != "None" && service["spec"].Str("type") != "ExternalName";
    }

    /// <summary>Upper case, <c>-</c> and <c>.</c> as <c>_</c>, and a leading digit behind <c>_</c>.</summary>
    public static string VariableName(string name)
    {
        var sb = new StringBuilder(name.Length + 1);
        if (name.Length > 0 && char.IsAsciiDigit(name[0])) sb.Append('_');
        foreach (var c in name)
            sb.Append(c is '-' or '.' ? '_' : char.ToUpperInvariant(c));
        return sb.ToString();
    }

    private static string PortOf(JsonObject port) =>
        (port.Long("port") ?? 0).ToString(CultureInfo.InvariantCulture);

    private static string JoinHostPort(string host, string port) =>
        System.Net.IPAddress.TryParse(host, out var a) && a.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{host}]:{port}"
            : $"{host}:{port}";
}
