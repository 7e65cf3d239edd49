using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// The pod's <c>/etc/hosts</c>, <c>/etc/resolv.conf</c> and <c>/etc/hostname</c>, kept in the pod's folder (the
/// parent of its volume directory, <c>DATA/pods/UID/</c>, like the kubelet's <c>etc-hosts</c>) and bind-mounted
/// into every container of the pod, so that all of them see the same names whatever Docker would have written.
/// <para>
/// Files are rewritten in place (same inode, never renamed over): a bind-mounted file pins its inode, so a
/// replacement would stay invisible to running containers. That matters for the hosts file, which gains the pod's
/// address only after the sandbox has started (<see cref="WriteHosts"/>).
/// </para>
/// </summary>
public sealed class PodEtcFiles(PodSpecOptions options, ILogger<PodEtcFiles> log)
{
    public const string HostsFileName = "etc-hosts";
    public const string ResolvConfFileName = "resolv.conf";
    public const string HostnameFileName = "hostname";
    private const string SystemdStub = "127.0.0.53";

    public static string FolderOf(string volumeDirectory) =>
        Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(volumeDirectory)))
        ?? throw new ArgumentException($"the volume directory {volumeDirectory} has no parent folder", nameof(volumeDirectory));

    public static string HostsPath(string volumeDirectory) => Path.Combine(FolderOf(volumeDirectory), HostsFileName);
    public static string ResolvConfPath(string volumeDirectory) => Path.Combine(FolderOf(volumeDirectory), ResolvConfFileName);
    public static string HostnamePath(string volumeDirectory) => Path.Combine(FolderOf(volumeDirectory), HostnameFileName);

    /// <summary>Writes all three files (the hosts file with the pod's address when it is already known).</summary>
    public void WriteAll(JsonObject pod, string volumeDirectory, string? podIp)
    {
        Directory.CreateDirectory(FolderOf(volumeDirectory));
        var resolv = PodDnsConfig.For(pod, NodeResolvConf(), options.ClusterDnsIp, options.ClusterDomain);
        WriteIfChanged(ResolvConfPath(volumeDirectory), resolv.Render());
        WriteIfChanged(HostnamePath(volumeDirectory), Hostname(pod) + "\n");
        WriteHosts(pod, volumeDirectory, podIp);
    }

    /// <summary>(Re)writes the hosts file; call again once the sandbox's IP is known. Cheap when nothing changed.</summary>
    public void WriteHosts(JsonObject pod, string volumeDirectory, string? podIp)
    {
        Directory.CreateDirectory(FolderOf(volumeDirectory));
        var aliases = pod["spec"]?["hostAliases"] as JsonArray;
        var content = pod["spec"].Bool("hostNetwork") == true
            ? PodHostsFile.HostNetwork(ReadOrEmpty(options.HostHostsPath), aliases)
            : PodHostsFile.Managed(PodHostname.Of(pod, options.ClusterDomain), podIp, aliases);
        WriteIfChanged(HostsPath(volumeDirectory), content);
    }

    /// <summary>The pod's hostname: for hostNetwork pods the node's own.</summary>
    public string Hostname(JsonObject pod) =>
        pod["spec"].Bool("hostNetwork") == true ? System.Net.Dns.GetHostName() : PodHostname.Of(pod, options.ClusterDomain).Hostname;

    /// <summary>Removes the three files (the volume directory is removed by the volumes).</summary>
    public static void Remove(string volumeDirectory)
    {
        foreach (var path in new[] { HostsPath(volumeDirectory), ResolvConfPath(volumeDirectory), HostnamePath(volumeDirectory) })
            File.Delete(path);
    }

    /// <summary>
    /// The node's resolver configuration. When it names only systemd-resolved's stub (127.0.0.53, which a pod's
    /// network namespace cannot reach), the real upstream list is read from systemd's own file when there is one.
    /// </summary>
    public ResolvConf NodeResolvConf()
    {
        var node = ResolvConf.Parse(ReadOrEmpty(options.HostResolvConfPath));
        if (node.Nameservers.Count > 0 && node.Nameservers.All(n => n == SystemdStub) && File.Exists(options.SystemdResolvConfPath))
        {
            var upstream = ResolvConf.Parse(ReadOrEmpty(options.SystemdResolvConfPath));
            log.LogDebug("{Path} names only the systemd-resolved stub; pods use {Upstream}", options.HostResolvConfPath, options.SystemdResolvConfPath);
            // The stub file's search domains are the ones the node uses; keep them when systemd's file has none.
            return upstream with { Searches = upstream.Searches.Count > 0 ? upstream.Searches : node.Searches };
        }
        return node;
    }

    private string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("Cannot read {Path}: {Message}", path, e.Message);
            return "";
        }
    }

    /// <summary>Truncates and rewrites the same file (keeping its inode) only when the contents differ.</summary>
    private static void WriteIfChanged(string path, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes)) return;
        var created = !File.Exists(path);
        using (var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write))
        {
            stream.SetLength(0);
            stream.Write(bytes);
        }
        if (created)
            UnixFileSystem.SetMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }
}
