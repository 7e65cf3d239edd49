using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// <see cref="IClusterObjects"/> over the API: ConfigMaps and Secrets are read by name when a container is made or
/// a volume refreshed (the node credential may read them; a cache of every Secret in the cluster on every node is
/// what the kubelet avoids too), Services come from the agent's Service informer.
/// </summary>
public sealed class KubeClusterObjects(IKubeClient client, Informer services) : IClusterObjects
{
    public Task<JsonObject?> GetConfigMapAsync(string ns, string name, CancellationToken ct) =>
        client.GetAsync(Kinds.ConfigMap, ns, name, ct);

    public Task<JsonObject?> GetSecretAsync(string ns, string name, CancellationToken ct) =>
        client.GetAsync(Kinds.Secret, ns, name, ct);

    public bool ServicesSynced => services.HasSynced;

    public IReadOnlyList<JsonObject> ServicesIn(string ns) => services.List(ns);
}
