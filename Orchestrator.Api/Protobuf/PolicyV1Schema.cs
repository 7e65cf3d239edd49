using static Orchestrator.Api.Protobuf.FieldFlags;
using static Orchestrator.Api.Protobuf.ProtoFieldType;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Field tables for k8s.io/api/policy/v1, transcribed from its <c>generated.proto</c> (numbers) and <c>types.go</c>
/// (json names, pointer and omitempty facts) at kubernetes/api 10b39a39 and kubernetes/apimachinery eed236ce; field
/// numbers are frozen across releases, so these match kubectl 1.32. Eviction (drain) and PodDisruptionBudget (create
/// pdb); PDB status is left out.
/// </summary>
public static class PolicyV1Schema
{
    public static IReadOnlyList<ProtoMessage> Messages { get; } =
    [
        new("policy.Eviction",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "deleteOptions", Msg, Ptr, "meta.DeleteOptions"),
        ]),
        new("policy.PodDisruptionBudget",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "spec", Msg, None, "policy.PodDisruptionBudgetSpec"),
        ]),
        new("policy.PodDisruptionBudgetSpec",
        [
            new(1, "minAvailable", IntOrStr, Ptr),
            new(2, "selector", Msg, Ptr, "meta.LabelSelector"),
            new(3, "maxUnavailable", IntOrStr, Ptr),
            new(4, "unhealthyPodEvictionPolicy", Str, Ptr),
        ]),
    ];
}
