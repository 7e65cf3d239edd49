using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Orchestrator.Agent.Node;

/// <summary>
/// Who this node is: name, InternalIP, architecture and machine ID, resolved once at start. As with the kubelet's
/// <c>--hostname-override</c> (and k3s's <c>--node-name</c>), the node name is also the node's hostname label and
/// Hostname address, so that <c>kubernetes.io/hostname</c> selectors match the name users see.
/// </summary>
public sealed record NodeIdentity(string Name, IPAddress InternalIp, string Architecture, string MachineId)
{
    /// <summary>
    /// Fills the defaults the command line left open: the name is the hostname lower-cased; the IP is the source
    /// address this host uses to reach the server when that is not loopback (right on a multi-homed host), otherwise
    /// the first non-loopback IPv4 of an interface that is up (skipping Docker's own bridges and veths), otherwise
    /// the source address even if it is loopback (a single-machine cluster).
    /// </summary>
    public static NodeIdentity Resolve(AgentOptions options)
    {
        var name = options.NodeName ?? System.Net.Dns.GetHostName().ToLowerInvariant();
        var ip = options.NodeIp ?? DetectIp(options.Server);
        return new NodeIdentity(name, ip, GoArchitecture(RuntimeInformation.OSArchitecture), ReadMachineId());
    }

    /// <summary>The architecture as Go (and so <c>kubernetes.io/arch</c>) names it.</summary>
    public static string GoArchitecture(System.Runtime.InteropServices.Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        System.Runtime.InteropServices.Architecture.LoongArch64 => "loong64",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    private static IPAddress DetectIp(Uri server)
    {
        var source = SourceAddressTowards(server);
        if (source != null && !IPAddress.IsLoopback(source)) return source;
        var candidate = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .Where(n => !n.Name.StartsWith("docker", StringComparison.Ordinal) && !n.Name.StartsWith("br-", StringComparison.Ordinal)
                        && !n.Name.StartsWith("veth", StringComparison.Ordinal))
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return candidate ?? source ?? IPAddress.Loopback;
    }

    /// <summary>
    /// The local address the kernel picks to reach the server: "connecting" a UDP socket sends nothing, it only
    /// routes. Null when the server's host does not resolve to IPv4 or there is no route.
    /// </summary>
    private static IPAddress? SourceAddressTowards(Uri server)
    {
        try
        {
            var target = IPAddress.TryParse(server.Host, out var literal)
                ? literal
                : System.Net.Dns.GetHostAddresses(server.Host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
            if (target is not { AddressFamily: AddressFamily.InterNetwork }) return null;
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(new IPEndPoint(target, server.Port));
            return (socket.LocalEndPoint as IPEndPoint)?.Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static string ReadMachineId()
    {
        foreach (var path in new[] { "/etc/machine-id", "/var/lib/dbus/machine-id" })
        {
            try
            {
                var id = File.ReadAllText(path).Trim();
                if (id.Length > 0) return id;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return "";
    }
}
