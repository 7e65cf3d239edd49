using static Orchestrator.Api.Protobuf.FieldFlags;
using static Orchestrator.Api.Protobuf.ProtoFieldType;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Field tables for k8s.io/api/apps/v1, transcribed from its <c>generated.proto</c> (numbers) and <c>types.go</c> (json
/// names, pointer and omitempty facts) at kubernetes/api 10b39a39 and kubernetes/apimachinery eed236ce; field numbers
/// are frozen across releases, so these match kubectl 1.32. Deployment.status is left out: the server owns it and
/// kubectl sends it empty.
/// </summary>
public static class AppsV1Schema
{
    public static IReadOnlyList<ProtoMessage> Messages { get; } =
    [
        new("apps.Deployment",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "spec", Msg, None, "apps.DeploymentSpec"),
        ]),
        new("apps.DeploymentSpec",
        [
            new(1, "replicas", I32, Ptr),
            new(2, "selector", Msg, Ptr, "meta.LabelSelector"),
            new(3, "template", Msg, None, "v1.PodTemplateSpec"),
            new(4, "strategy", Msg, None, "apps.DeploymentStrategy"),
            new(5, "minReadySeconds", I32, None),
            new(6, "revisionHistoryLimit", I32, Ptr),
            new(7, "paused", Bool, None),
            new(9, "progressDeadlineSeconds", I32, Ptr),
        ]),
        new("apps.DeploymentStrategy",
        [
            new(1, "type", Str, None),
            new(2, "rollingUpdate", Msg, Ptr, "apps.RollingUpdateDeployment"),
        ]),
        new("apps.RollingUpdateDeployment",
        [
            new(1, "maxUnavailable", IntOrStr, Ptr),
            new(2, "maxSurge", IntOrStr, Ptr),
        ]),
    ];
}
