using static Orchestrator.Api.Protobuf.FieldFlags;
using static Orchestrator.Api.Protobuf.ProtoFieldType;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Field tables for k8s.io/apimachinery/pkg/apis/meta/v1, transcribed from its <c>generated.proto</c> (numbers) and
/// <c>types.go</c> (json names, pointer and omitempty facts) at kubernetes/api 10b39a39 and kubernetes/apimachinery
/// eed236ce; field numbers are frozen across releases, so these match kubectl 1.32. ObjectMeta.managedFields (17) is
/// left out: field managers are recorded by the server, never taken from a client body.
/// </summary>
public static class MetaV1Schema
{
    public static IReadOnlyList<ProtoMessage> Messages { get; } =
    [
        new("meta.ObjectMeta",
        [
            new(1, "name", Str, None),
            new(2, "generateName", Str, None),
            new(3, "namespace", Str, None),
            new(4, "selfLink", Str, None),
            new(5, "uid", Str, None),
            new(6, "resourceVersion", Str, None),
            new(7, "generation", I64, None),
            new(8, "creationTimestamp", Time, None),
            new(9, "deletionTimestamp", Time, Ptr),
            new(10, "deletionGracePeriodSeconds", I64, Ptr),
            new(11, "labels", StrMap, None),
            new(12, "annotations", StrMap, None),
            new(13, "ownerReferences", Msg, Rep, "meta.OwnerReference"),
            new(14, "finalizers", Str, Rep),
        ]),
        new("meta.OwnerReference",
        [
            new(1, "kind", Str, Keep),
            new(3, "name", Str, Keep),
            new(4, "uid", Str, Keep),
            new(5, "apiVersion", Str, Keep),
            new(6, "controller", Bool, Ptr),
            new(7, "blockOwnerDeletion", Bool, Ptr),
        ]),
        new("meta.LabelSelector",
        [
            new(1, "matchLabels", StrMap, None),
            new(2, "matchExpressions", Msg, Rep, "meta.LabelSelectorRequirement"),
        ]),
        new("meta.LabelSelectorRequirement",
        [
            new(1, "key", Str, Keep),
            new(2, "operator", Str, Keep),
            new(3, "values", Str, Rep),
        ]),
        new("meta.DeleteOptions",
        [
            new(1, "gracePeriodSeconds", I64, Ptr),
            new(2, "preconditions", Msg, Ptr, "meta.Preconditions"),
            new(3, "orphanDependents", Bool, Ptr),
            new(4, "propagationPolicy", Str, Ptr),
            new(5, "dryRun", Str, Rep),
            new(6, "ignoreStoreReadErrorWithClusterBreakingPotential", Bool, Ptr),
        ]),
        new("meta.Preconditions",
        [
            new(1, "uid", Str, Ptr),
            new(2, "resourceVersion", Str, Ptr),
        ]),
    ];
}
