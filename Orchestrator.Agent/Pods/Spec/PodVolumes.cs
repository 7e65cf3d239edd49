using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// Materialises a pod's volumes under its volume directory (paths from <see cref="PodVolumeLayout"/>):
/// <list type="bullet">
/// <item><b>emptyDir</b>: a folder, mode 0777 so any user of the pod can write. <c>medium: Memory</c> is a folder
///   too (on disk, not tmpfs): a tmpfs per container (Docker's <c>Tmpfs</c>) would not be shared between the
///   pod's containers, which is the point of an emptyDir, and mounting a tmpfs on the node needs privileges the
///   agent should not assume.</item>
/// <item><b>hostPath</b>: the node's path, after the type check (<see cref="HostPathCheck"/>).</item>
/// <item><b>configMap, secret, downwardAPI, projected</b>: files written by <see cref="AtomicWriter"/>, so that a
///   refresh (calling <see cref="PrepareAsync"/> again) swaps the whole set at once and shows up in running
///   containers; when nothing changed a refresh writes nothing. <c>serviceAccountToken</c> projections are
///   skipped: this cluster issues no service-account tokens.</item>
/// </list>
/// A volume that cannot be set up is a <see cref="ContainerConfigException"/> with reason <c>FailedMount</c> and the
/// kubelet's message (<c>MountVolume.SetUp failed for volume "V" : configmap "C" not found</c>).
/// </summary>
public sealed class PodVolumes(IClusterObjects objects, PodSpecOptions options, TimeProvider time, ILogger<PodVolumes> log) : IPodVolumes
{
    /// <summary>The kubelet's default file mode for configMap, secret, downwardAPI and projected volumes (0644).</summary>
    public const UnixFileMode DefaultFileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode EmptyDirMode = (UnixFileMode)0x1FF; // 0777

    private readonly AtomicWriter _writer = new(time);

    public async Task<IReadOnlyDictionary<string, string>> PrepareAsync(JsonObject pod, string volumeDirectory, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, volume) in PodVolumeLayout.VolumesOf(pod))
        {
            var type = PodVolumeLayout.TypeOf(volume);
            var path = PodVolumeLayout.HostPathOf(volumeDirectory, volume);
            try
            {
                if (type == null || path == null)
                    throw new VolumeSetupException(
                        $"unsupported volume type (this node supports {PodVolumeLayout.EmptyDir}, {PodVolumeLayout.HostPath}, {PodVolumeLayout.ConfigMap}, " +
                        $"{PodVolumeLayout.Secret}, {PodVolumeLayout.DownwardApi} and {PodVolumeLayout.Projected})");
                await SetUpAsync(pod, type, (JsonObject)volume[type]!, path, ct);
            }
            catch (Exception e) when (e is VolumeSetupException or ArgumentException or IOException or UnauthorizedAccessException
                                          or ContainerConfigException)
            {
                throw new ContainerConfigException(ContainerConfigReasons.FailedMount, $"MountVolume.SetUp failed for volume \"{name}\" : {e.Message}");
            }
            result[name] = path;
        }
        return result;
    }

    public Task CleanupAsync(string volumeDirectory, CancellationToken ct)
    {
        // Links inside configMap/secret volumes are removed as links (Directory.Delete does not follow them), and
        // hostPath volumes live outside this folder: nothing of the node's is touched.
        if (Directory.Exists(volumeDirectory)) Directory.Delete(volumeDirectory, recursive: true);
        PodEtcFiles.Remove(volumeDirectory);
        var podFolder = PodEtcFiles.FolderOf(volumeDirectory);
        if (Directory.Exists(podFolder) && !Directory.EnumerateFileSystemEntries(podFolder).Any()) Directory.Delete(podFolder);
        return Task.CompletedTask;
    }

    private async Task SetUpAsync(JsonObject pod, string type, JsonObject source, string path, CancellationToken ct)
    {
        var ns = pod.Namespace() ?? "default";
        switch (type)
        {
            case PodVolumeLayout.EmptyDir:
                if (!Directory.Exists(path))
                {
                    UnixFileSystem.CreateDirectory(path, EmptyDirMode);
                }
                break;
            case PodVolumeLayout.HostPath:
                if (HostPathCheck.Check(path, source.Str("type")) is { } failure) throw new VolumeSetupException(failure);
                break;
            case PodVolumeLayout.ConfigMap:
            {
                var payload = new SortedDictionary<string, VolumeFile>(StringComparer.Ordinal);
                await AddConfigMapAsync(ns, source, ModeOf(source, "defaultMode", DefaultFileMode), payload, ct);
                _writer.Write(path, payload);
                break;
            }
            case PodVolumeLayout.Secret:
            {
                var payload = new SortedDictionary<string, VolumeFile>(StringComparer.Ordinal);
                await AddSecretAsync(ns, source, source.Str("secretName") ?? "", ModeOf(source, "defaultMode", DefaultFileMode), payload, ct);
                _writer.Write(path, payload);
                break;
            }
            case PodVolumeLayout.DownwardApi:
            {
                var payload = new SortedDictionary<string, VolumeFile>(StringComparer.Ordinal);
                AddDownwardApi(pod, source, ModeOf(source, "defaultMode", DefaultFileMode), payload);
                _writer.Write(path, payload);
                break;
            }
            case PodVolumeLayout.Projected:
            {
                var payload = new SortedDictionary<string, VolumeFile>(StringComparer.Ordinal);
                var mode = ModeOf(source, "defaultMode", DefaultFileMode);
                foreach (var projection in (source["sources"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (projection["configMap"] is JsonObject cm) await AddConfigMapAsync(ns, cm, mode, payload, ct);
                    else if (projection["secret"] is JsonObject secret) await AddSecretAsync(ns, secret, secret.Str("name") ?? "", mode, payload, ct);
                    else if (projection["downwardAPI"] is JsonObject downward) AddDownwardApi(pod, downward, mode, payload);
                    else if (projection.ContainsKey("serviceAccountToken"))
                        log.LogInformation("Pod {Namespace}/{Pod}: skipping the serviceAccountToken projection of {Path}: this cluster issues no service-account tokens",
                            ns, pod.Name(), projection["serviceAccountToken"].Str("path"));
                    else
                        log.LogWarning("Pod {Namespace}/{Pod}: skipping an unsupported projected volume source {Source}",
                            ns, pod.Name(), string.Join(",", projection.Select(p => p.Key)));
                }
                _writer.Write(path, payload);
                break;
            }
        }
    }

    private async Task AddConfigMapAsync(string ns, JsonObject source, UnixFileMode defaultMode, IDictionary<string, VolumeFile> payload, CancellationToken ct)
    {
        var name = source.Str("name") ?? "";
        var optional = source.Bool("optional") == true;
        var configMap = await objects.GetConfigMapAsync(ns, name, ct);
        if (configMap == null)
        {
            if (optional) return; // an optional, missing ConfigMap is an empty volume
            throw new VolumeSetupException($"configmap \"{name}\" not found");
        }
        AddItems(ConfigData.OfConfigMap(configMap, withBinaryData: true), source, defaultMode, optional, "configmap references non-existent config key: ", payload);
    }

    private async Task AddSecretAsync(string ns, JsonObject source, string name, UnixFileMode defaultMode, IDictionary<string, VolumeFile> payload, CancellationToken ct)
    {
        var optional = source.Bool("optional") == true;
        var secret = await objects.GetSecretAsync(ns, name, ct);
        if (secret == null)
        {
            if (optional) return;
            throw new VolumeSetupException($"secret \"{name}\" not found");
        }
        AddItems(ConfigData.OfSecret(secret), source, defaultMode, optional, "references non-existent secret key: ", payload);
    }

    /// <summary>Every key as a file of its name, or only the <c>items</c> (key → path, own mode).</summary>
    private static void AddItems(IReadOnlyDictionary<string, byte[]> data, JsonObject source, UnixFileMode defaultMode, bool optional,
        string missingKeyMessage, IDictionary<string, VolumeFile> payload)
    {
        var items = (source["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (items.Count == 0)
        {
            foreach (var (key, value) in data) payload[key] = new VolumeFile(value, defaultMode);
            return;
        }
        foreach (var item in items)
        {
            var key = item.Str("key") ?? "";
            if (!data.TryGetValue(key, out var value))
            {
                if (optional) continue;
                throw new VolumeSetupException(missingKeyMessage + key);
            }
            payload[item.Str("path") ?? key] = new VolumeFile(value, ModeOf(item, "mode", defaultMode));
        }
    }

    private void AddDownwardApi(JsonObject pod, JsonObject source, UnixFileMode defaultMode, IDictionary<string, VolumeFile> payload)
    {
        foreach (var item in (source["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var path = item.Str("path") ?? "";
            string value;
            if (item["fieldRef"] is JsonObject fieldRef)
            {
                var fieldPath = fieldRef.Str("fieldPath") ?? "";
                if (!PodFieldPath.IsVolumePath(fieldPath)) throw new VolumeSetupException($"unsupported fieldPath: {fieldPath}");
                value = PodFieldPath.ResolveMetadata(pod, fieldPath);
            }
            else if (item["resourceFieldRef"] is JsonObject resourceRef)
            {
                var containerName = resourceRef.Str("containerName") ?? "";
                var container = new[] { "containers", "initContainers" }
                    .SelectMany(list => (pod["spec"]?[list] as JsonArray ?? []).OfType<JsonObject>())
                    .FirstOrDefault(c => c.Str("name") == containerName)
                    ?? throw new VolumeSetupException($"container {containerName} not found in pod {pod.Name()}");
                value = ContainerResourceField.Resolve(container, resourceRef.Str("resource") ?? "", resourceRef["divisor"], options);
            }
            else
            {
                continue;
            }
            payload[path] = new VolumeFile(Encoding.UTF8.GetBytes(value), ModeOf(item, "mode", defaultMode));
        }
    }

    private static UnixFileMode ModeOf(JsonObject obj, string field, UnixFileMode fallback) =>
        obj.Long(field) is { } mode ? (UnixFileMode)(mode & 0xFFF) : fallback;
}
