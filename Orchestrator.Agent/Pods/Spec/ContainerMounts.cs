using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// A container's <c>volumeMounts</c> as Docker binds (<c>HOST:CONTAINER[:OPTIONS]</c>), plus the pod's hosts,
/// resolv.conf and hostname files at <c>/etc/hosts</c>, <c>/etc/resolv.conf</c> and <c>/etc/hostname</c> (as the
/// kubelet mounts its <c>etc-hosts</c>) unless the container mounts a volume there itself.
/// <code>
/// readOnly: true                        → :ro
/// subPath: a/b                          → VOLUME/a/b (made as a folder when missing, as the kubelet does)
/// subPathExpr: $(POD_NAME)              → subPath expanded with the container's env
/// mountPropagation HostToContainer / Bidirectional → rslave / rshared
/// </code>
/// </summary>
public static class ContainerMounts
{
    public static List<string> Binds(PodContext context, JsonObject container, IReadOnlyDictionary<string, string> env)
    {
        var volumes = PodVolumeLayout.VolumesOf(context.Pod);
        var binds = new List<string>();
        var mountPaths = new HashSet<string>(StringComparer.Ordinal);
        var containerName = container.Str("name");
        foreach (var mount in (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = mount.Str("name") ?? "";
            var mountPath = mount.Str("mountPath") ?? "";
            if (!volumes.TryGetValue(name, out var volume))
                throw ConfigError($"cannot find volume \"{name}\" to mount into container \"{containerName}\"");
            var hostPath = PodVolumeLayout.HostPathOf(context.VolumeDirectory, volume)
                ?? throw ConfigError($"volume \"{name}\" of container \"{containerName}\" has an unsupported type");

            var subPath = mount.Str("subPath") ?? "";
            if (mount.Str("subPathExpr") is { Length: > 0 } expr)
            {
                subPath = EnvVarExpansion.Expand(expr, env.GetValueOrDefault);
                if (subPath.Contains("$(", StringComparison.Ordinal))
                    throw ConfigError($"failed to prepare subPath for volumeMount \"{name}\" of container \"{containerName}\": unresolved variable in {expr}");
            }
            if (subPath.Length > 0)
            {
                if (Path.IsPathRooted(subPath) || subPath.Split('/').Contains(".."))
                    throw ConfigError($"failed to prepare subPath for volumeMount \"{name}\" of container \"{containerName}\": {subPath} must be a relative path without '..'");
                hostPath = Path.Combine(hostPath, subPath);
                if (!Path.Exists(hostPath)) Directory.CreateDirectory(hostPath);
            }

            var options = new List<string>();
            if (mount.Bool("readOnly") == true) options.Add("ro");
            switch (mount.Str("mountPropagation"))
            {
                case "HostToContainer": options.Add("rslave"); break;
                case "Bidirectional": options.Add("rshared"); break;
            }
            binds.Add(options.Count > 0 ? $"{hostPath}:{mountPath}:{string.Join(',', options)}" : $"{hostPath}:{mountPath}");
            mountPaths.Add(mountPath.TrimEnd('/'));
        }

        AddPodFile(binds, mountPaths, PodEtcFiles.HostsPath(context.VolumeDirectory), "/etc/hosts");
        AddPodFile(binds, mountPaths, PodEtcFiles.ResolvConfPath(context.VolumeDirectory), "/etc/resolv.conf");
        AddPodFile(binds, mountPaths, PodEtcFiles.HostnamePath(context.VolumeDirectory), "/etc/hostname");
        return binds;
    }

    /// <summary>The bind of one of the pod's /etc files, for the sandbox as for the containers.</summary>
    public static void AddPodFile(List<string> binds, ISet<string> mountPaths, string hostPath, string containerPath)
    {
        if (mountPaths.Contains(containerPath) || mountPaths.Contains("/etc")) return;
        binds.Add($"{hostPath}:{containerPath}");
    }

    private static ContainerConfigException ConfigError(string message) =>
        new(ContainerConfigReasons.CreateContainerConfigError, message);
}
