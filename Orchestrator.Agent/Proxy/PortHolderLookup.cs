using System.Globalization;
using System.Net;

namespace Orchestrator.Agent.Proxy;

/// <summary>
/// Finds the process listening on a TCP (or bound to a UDP) address:port, from <c>/proc/net/{tcp,udp}</c> (the socket's
/// inode) and <c>/proc/*/fd</c> (which process has that inode open). Best effort: another user's processes are not
/// readable without privileges, and a wildcard (0.0.0.0) holder counts for every address.
/// </summary>
public static class PortHolderLookup
{
    private const string TcpListenState = "0A";

    public static string? Find(ListenerKey key, string procRoot = "/proc")
    {
        try
        {
            var inode = FindInode(key, procRoot);
            return inode == null ? null : FindProcess(inode, procRoot) ?? $"socket inode {inode} (owner not visible)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? FindInode(ListenerKey key, string procRoot)
    {
        var tcp = key.Protocol == "TCP";
        var file = Path.Combine(procRoot, "net", tcp ? "tcp" : "udp");
        if (!File.Exists(file)) return null;
        foreach (var line in File.ReadLines(file).Skip(1))
        {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10) continue;
            if (tcp && f[3] != TcpListenState) continue;
            var colon = f[1].IndexOf(':');
            if (colon != 8) continue;
            if (int.Parse(f[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture) != key.Port) continue;
            var raw = uint.Parse(f[1].AsSpan(0, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            // The kernel prints the address in host byte order (little endian here): its bytes read backwards.
            var address = new IPAddress(BitConverter.IsLittleEndian ? raw : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(raw));
            if (address.Equals(IPAddress.Any) || address.Equals(key.Address)) return f[9];
        }
        return null;
    }

    private static string? FindProcess(string inode, string procRoot)
    {
        var target = $"socket:[{inode}]";
        foreach (var dir in Directory.EnumerateDirectories(procRoot))
        {
            var pid = Path.GetFileName(dir);
            if (!int.TryParse(pid, out _)) continue;
            IEnumerable<string> fds;
            try
            {
                fds = Directory.EnumerateFiles(Path.Combine(dir, "fd"));
                foreach (var fd in fds)
                {
                    var link = new FileInfo(fd).LinkTarget;
                    if (link != target) continue;
                    var comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                    return $"pid {pid} ({comm})";
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return null;
    }
}
