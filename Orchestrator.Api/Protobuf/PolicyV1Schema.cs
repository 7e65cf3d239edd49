using static Orchestrator.Api.Protobuf.FieldFlags;
using static Orchestrator.Api.Protobuf.ProtoFieldType;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Field tables for k8s.io/api/policy/v1, transcribed from its <c>generated.proto</c> (numbers) and <c>types.go</c> (json names,
/// pointer and omitempty facts). Only Eviction: it is the policy/v1 body the drain path can send.
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
    ];
}
