using System.Collections.Frozen;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// All message tables plus the top-level kinds the decoder accepts. Immutable once built; <see cref="Default"/> is
/// built from the per-group tables and checked for dangling references at start-up so a typo in a table fails
/// loudly instead of silently dropping a subtree.
/// </summary>
public sealed class SchemaCatalog
{
    /// <summary>apiVersion used in <see cref="SchemaCatalog"/> kind keys for kinds valid in every group version.</summary>
    public const string AnyApiVersion = "*";

    public static SchemaCatalog Default { get; } = new(
        [
            .. MetaV1Schema.Messages, .. CoreV1Schema.Messages, .. AppsV1Schema.Messages, .. BatchV1Schema.Messages,
            .. PolicyV1Schema.Messages, .. RbacV1Schema.Messages, .. NetworkingV1Schema.Messages,
            .. SchedulingV1Schema.Messages, .. AuthenticationV1Schema.Messages, .. AutoscalingV1Schema.Messages,
        ],
        new Dictionary<(string, string), string>
        {
            [("v1", "Namespace")] = "v1.Namespace",
            [("v1", "ConfigMap")] = "v1.ConfigMap",
            [("v1", "Secret")] = "v1.Secret",
            [("v1", "ServiceAccount")] = "v1.ServiceAccount",
            [("v1", "Service")] = "v1.Service",
            [("v1", "ResourceQuota")] = "v1.ResourceQuota",
            [("apps/v1", "Deployment")] = "apps.Deployment",
            [("batch/v1", "Job")] = "batch.Job",
            [("batch/v1", "CronJob")] = "batch.CronJob",
            [("policy/v1", "Eviction")] = "policy.Eviction",
            [("policy/v1", "PodDisruptionBudget")] = "policy.PodDisruptionBudget",
            [("rbac.authorization.k8s.io/v1", "Role")] = "rbac.Role",
            [("rbac.authorization.k8s.io/v1", "ClusterRole")] = "rbac.ClusterRole",
            [("rbac.authorization.k8s.io/v1", "RoleBinding")] = "rbac.RoleBinding",
            [("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")] = "rbac.ClusterRoleBinding",
            [("networking.k8s.io/v1", "Ingress")] = "networking.Ingress",
            [("scheduling.k8s.io/v1", "PriorityClass")] = "scheduling.PriorityClass",
            [("authentication.k8s.io/v1", "TokenRequest")] = "authentication.TokenRequest",
            [("autoscaling/v1", "HorizontalPodAutoscaler")] = "autoscaling.HorizontalPodAutoscaler",
            // Typed clients send DELETE bodies as DeleteOptions stamped with their own group version (measured:
            // "v1" for pod deletes during `kubectl drain --disable-eviction`), as every group registers it.
            [(AnyApiVersion, "DeleteOptions")] = "meta.DeleteOptions",
        });

    private readonly FrozenDictionary<string, ProtoMessage> _messages;
    private readonly FrozenDictionary<(string ApiVersion, string Kind), ProtoMessage> _kinds;

    public SchemaCatalog(IEnumerable<ProtoMessage> messages, IReadOnlyDictionary<(string ApiVersion, string Kind), string> kinds)
    {
        _messages = messages.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
        foreach (var message in _messages.Values)
            foreach (var field in message.Fields.Values)
            {
                if ((field.Type == ProtoFieldType.Msg) != (field.MessageName != null))
                    throw new InvalidOperationException($"{message.Name}.{field.JsonName}: only message fields name a message");
                if (field.MessageName != null && !_messages.ContainsKey(field.MessageName))
                    throw new InvalidOperationException($"{message.Name}.{field.JsonName} refers to unknown message {field.MessageName}");
                if (field.Inline && (field.Type != ProtoFieldType.Msg || field.Repeated))
                    throw new InvalidOperationException($"{message.Name} field {field.Number}: only singular messages can be inline");
            }
        _kinds = kinds.ToFrozenDictionary(k => k.Key, k => _messages.TryGetValue(k.Value, out var m)
            ? m
            : throw new InvalidOperationException($"kind {k.Key.Kind} refers to unknown message {k.Value}"));
    }

    public ProtoMessage Message(string name) =>
        _messages.TryGetValue(name, out var m) ? m : throw new KeyNotFoundException($"no protobuf schema {name}");

    /// <summary>The schema of a top-level object, or false when this kind is not decodable from protobuf.</summary>
    public bool TryGetKind(string apiVersion, string kind, out ProtoMessage schema) =>
        _kinds.TryGetValue((apiVersion, kind), out schema!) || _kinds.TryGetValue((AnyApiVersion, kind), out schema!);

    public IEnumerable<(string ApiVersion, string Kind)> Kinds => _kinds.Keys;
}
