using static Orchestrator.Api.Protobuf.FieldFlags;
using static Orchestrator.Api.Protobuf.ProtoFieldType;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Field tables for k8s.io/api/autoscaling/v1, transcribed from its <c>generated.proto</c> (numbers) and
/// <c>types.go</c> (json names, pointer and omitempty facts) at kubernetes/api 10b39a39 and kubernetes/apimachinery
/// eed236ce; field numbers are frozen across releases, so these match kubectl 1.32. HorizontalPodAutoscaler as sent by
/// kubectl autoscale; status is left out.
/// </summary>
public static class AutoscalingV1Schema
{
    public static IReadOnlyList<ProtoMessage> Messages { get; } =
    [
        new("autoscaling.HorizontalPodAutoscaler",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "spec", Msg, None, "autoscaling.HorizontalPodAutoscalerSpec"),
        ]),
        new("autoscaling.HorizontalPodAutoscalerSpec",
        [
            new(1, "scaleTargetRef", Msg, None, "autoscaling.CrossVersionObjectReference"),
            new(2, "minReplicas", I32, Ptr),
            new(3, "maxReplicas", I32, Keep),
            new(4, "targetCPUUtilizationPercentage", I32, Ptr),
        ]),
        new("autoscaling.CrossVersionObjectReference",
        [
            new(1, "kind", Str, Keep),
            new(2, "name", Str, Keep),
            new(3, "apiVersion", Str, None),
        ]),
    ];
}
