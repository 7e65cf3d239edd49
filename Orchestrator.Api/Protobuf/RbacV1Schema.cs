using static Orchestrator.Api.Protobuf.FieldFlags;
using static Orchestrator.Api.Protobuf.ProtoFieldType;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Field tables for k8s.io/api/rbac/v1, transcribed from its <c>generated.proto</c> (numbers) and <c>types.go</c> (json
/// names, pointer and omitempty facts) at kubernetes/api 10b39a39 and kubernetes/apimachinery eed236ce; field numbers
/// are frozen across releases, so these match kubectl 1.32. Role, ClusterRole, RoleBinding, ClusterRoleBinding as sent
/// by kubectl create role/clusterrole/rolebinding/clusterrolebinding.
/// </summary>
public static class RbacV1Schema
{
    public static IReadOnlyList<ProtoMessage> Messages { get; } =
    [
        new("rbac.Role",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "rules", Msg, Rep, "rbac.PolicyRule"),
        ]),
        new("rbac.PolicyRule",
        [
            new(1, "verbs", Str, Rep),
            new(2, "apiGroups", Str, Rep),
            new(3, "resources", Str, Rep),
            new(4, "resourceNames", Str, Rep),
            new(5, "nonResourceURLs", Str, Rep),
        ]),
        new("rbac.ClusterRole",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "rules", Msg, Rep, "rbac.PolicyRule"),
            new(3, "aggregationRule", Msg, Ptr, "rbac.AggregationRule"),
        ]),
        new("rbac.AggregationRule",
        [
            new(1, "clusterRoleSelectors", Msg, Rep, "meta.LabelSelector"),
        ]),
        new("rbac.RoleBinding",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "subjects", Msg, Rep, "rbac.Subject"),
            new(3, "roleRef", Msg, None, "rbac.RoleRef"),
        ]),
        new("rbac.Subject",
        [
            new(1, "kind", Str, Keep),
            new(2, "apiGroup", Str, None),
            new(3, "name", Str, Keep),
            new(4, "namespace", Str, None),
        ]),
        new("rbac.RoleRef",
        [
            new(1, "apiGroup", Str, Keep),
            new(2, "kind", Str, Keep),
            new(3, "name", Str, Keep),
        ]),
        new("rbac.ClusterRoleBinding",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "subjects", Msg, Rep, "rbac.Subject"),
            new(3, "roleRef", Msg, None, "rbac.RoleRef"),
        ]),
    ];
}
