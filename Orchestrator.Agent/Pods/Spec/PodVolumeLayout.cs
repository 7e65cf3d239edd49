using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// Where each volume of a pod lives on the node, as a pure function of the volume's spec, so that the volumes
/// (which make the folders) and the container config (which binds them) agree without passing state around.
/// Folders follow the kubelet's layout, <c>VOLUMES/kubernetes.io~PLUGIN/NAME</c>; a hostPath is its own path.
/// </summary>
public static class PodVolumeLayout
{
    public const string EmptyDir = "emptyDir";
    public const string HostPath = "hostPath";
    public const string ConfigMap = "configMap";
    public const string Secret = "secret";
    public const string DownwardApi = "downwardAPI";
    public const string Projected = "projected";

    private static readonly (string Type, string Plugin)[] Plugins =
    [
        (EmptyDir, "kubernetes.io~empty-dir"),
        (ConfigMap, "kubernetes.io~configmap"),
        (Secret, "kubernetes.io~secret"),
        (DownwardApi, "kubernetes.io~downward-api"),
        (Projected, "kubernetes.io~projected"),
    ];

    /// <summary>The volume's source type (the one source field it sets), or null when it names none we know.</summary>
    public static string? TypeOf(JsonObject volume) =>
        volume.ContainsKey(HostPath) ? HostPath : Plugins.Select(p => p.Type).FirstOrDefault(volume.ContainsKey);

    /// <summary>The volume's path on the node, or null for a volume type we do not support.</summary>
    public static string? HostPathOf(string volumeDirectory, JsonObject volume)
    {
        var type = TypeOf(volume);
        if (type == HostPath) return volume[HostPath].Str("path");
        var plugin = Plugins.FirstOrDefault(p => p.Type == type).Plugin;
        return plugin == null ? null : Path.Combine(volumeDirectory, plugin, volume.Str("name") ?? "");
    }

    /// <summary>The pod's volumes by name.</summary>
    public static IReadOnlyDictionary<string, JsonObject> VolumesOf(JsonObject pod) =>
        (pod["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => !string.IsNullOrEmpty(v.Str("name")))
            .GroupBy(v => v.Str("name")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
}
