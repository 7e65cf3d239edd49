using static Orchestrator.Api.Protobuf.FieldFlags;
using static Orchestrator.Api.Protobuf.ProtoFieldType;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Field tables for k8s.io/api/scheduling/v1, transcribed from its <c>generated.proto</c> (numbers) and <c>types.go</c>
/// (json names, pointer and omitempty facts) at kubernetes/api 10b39a39 and kubernetes/apimachinery eed236ce; field
/// numbers are frozen across releases, so these match kubectl 1.32. PriorityClass as sent by kubectl create
/// priorityclass.
/// </summary>
public static class SchedulingV1Schema
{
    public static IReadOnlyList<ProtoMessage> Messages { get; } =
    [
        new("scheduling.PriorityClass",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "value", I32, Keep),
            new(3, "globalDefault", Bool, None),
            new(4, "description", Str, None),
            new(5, "preemptionPolicy", Str, Ptr),
        ]),
    ];
}
