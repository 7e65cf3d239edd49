using System.Net;

namespace Orchestrator.Agent.Dns.Server;

/// <summary>
/// The host's upstream resolvers from resolv.conf. A host running systemd-resolved lists only its stub
/// (127.0.0.53); forwarding there from the agent works for the host but is the loop CoreDNS users know
/// (coredns/coredns#2087), so when every nameserver is a loopback address the real list in
/// <c>/run/systemd/resolve/resolv.conf</c> is used instead, if that file exists.
/// </summary>
public static class ResolvConf
{
    /// <summary>The nameserver addresses of a resolv.conf text, in order (port 53); bad lines are skipped.</summary>
    public static List<IPEndPoint> ParseNameservers(string text)
    {
        var result = new List<IPEndPoint>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[0] != "nameserver") continue;
            // An IPv6 link-local nameserver may carry a zone ("fe80::1%eth0"); IPAddress.TryParse keeps it as ScopeId.
            if (IPAddress.TryParse(fields[1], out var ip)) result.Add(new IPEndPoint(ip, 53));
        }

        return result;
    }

    /// <summary>The upstream servers of this host, following the stub rule above.</summary>
    public static List<IPEndPoint> Load(string path, string systemdPath)
    {
        var servers = File.Exists(path) ? ParseNameservers(File.ReadAllText(path)) : [];
        if (servers.Count > 0 && servers.All(s => IPAddress.IsLoopback(s.Address)) && File.Exists(systemdPath))
        {
            var real = ParseNameservers(File.ReadAllText(systemdPath));
            if (real.Count > 0) return real;
        }

        return servers;
    }

    /// <summary>Parses "ip", "ip:port" or "[ipv6]:port".</summary>
    public static bool TryParseServer(string text, out IPEndPoint endpoint)
    {
        // IPEndPoint handles all three forms (an IPv6 address without brackets has no port); port 0 means "the default".
        endpoint = null!;
        if (!IPEndPoint.TryParse(text.Trim(), out var ep)) return false;
        endpoint = ep.Port == 0 ? new IPEndPoint(ep.Address, 53) : ep;
        return true;
    }
}
