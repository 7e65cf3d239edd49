using System.Text.Json.Nodes;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// The cluster objects a pod's containers are built from besides the pod: the ConfigMaps and Secrets its env and
/// volumes name, and the Services whose environment variables it gets. A seam so that the translation can be
/// tested without an API server.
/// </summary>
public interface IClusterObjects
{
    /// <summary>The ConfigMap, or null when it does not exist.</summary>
    Task<JsonObject?> GetConfigMapAsync(string ns, string name, CancellationToken ct);

    /// <summary>The Secret, or null when it does not exist.</summary>
    Task<JsonObject?> GetSecretAsync(string ns, string name, CancellationToken ct);

    /// <summary>
    /// False until the Services have been listed once: service environment variables built before then would
    /// silently miss services, so the kubelet refuses to build them (and so do we).
    /// </summary>
    bool ServicesSynced { get; }

    /// <summary>Every Service of the namespace (cached, never modify them).</summary>
    IReadOnlyList<JsonObject> ServicesIn(string ns);
}
