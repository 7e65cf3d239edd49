using static Orchestrator.Api.Protobuf.FieldFlags;
using static Orchestrator.Api.Protobuf.ProtoFieldType;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Field tables for k8s.io/api/batch/v1, transcribed from its <c>generated.proto</c> (numbers) and <c>types.go</c>
/// (json names, pointer and omitempty facts) at kubernetes/api 10b39a39 and kubernetes/apimachinery eed236ce; field
/// numbers are frozen across releases, so these match kubectl 1.32. Job/CronJob status and the post-1.32 alpha
/// JobSpec.scheduling are left out.
/// </summary>
public static class BatchV1Schema
{
    public static IReadOnlyList<ProtoMessage> Messages { get; } =
    [
        new("batch.Job",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "spec", Msg, None, "batch.JobSpec"),
        ]),
        new("batch.JobSpec",
        [
            new(1, "parallelism", I32, Ptr),
            new(2, "completions", I32, Ptr),
            new(3, "activeDeadlineSeconds", I64, Ptr),
            new(4, "selector", Msg, Ptr, "meta.LabelSelector"),
            new(5, "manualSelector", Bool, Ptr),
            new(6, "template", Msg, None, "v1.PodTemplateSpec"),
            new(7, "backoffLimit", I32, Ptr),
            new(8, "ttlSecondsAfterFinished", I32, Ptr),
            new(9, "completionMode", Str, Ptr),
            new(10, "suspend", Bool, Ptr),
            new(11, "podFailurePolicy", Msg, Ptr, "batch.PodFailurePolicy"),
            new(12, "backoffLimitPerIndex", I32, Ptr),
            new(13, "maxFailedIndexes", I32, Ptr),
            new(14, "podReplacementPolicy", Str, Ptr),
            new(15, "managedBy", Str, Ptr),
            new(16, "successPolicy", Msg, Ptr, "batch.SuccessPolicy"),
        ]),
        new("batch.PodFailurePolicy",
        [
            new(1, "rules", Msg, Rep, "batch.PodFailurePolicyRule"),
        ]),
        new("batch.PodFailurePolicyRule",
        [
            new(1, "action", Str, Keep),
            new(2, "onExitCodes", Msg, Ptr, "batch.PodFailurePolicyOnExitCodesRequirement"),
            new(3, "onPodConditions", Msg, Rep, "batch.PodFailurePolicyOnPodConditionsPattern"),
        ]),
        new("batch.PodFailurePolicyOnExitCodesRequirement",
        [
            new(1, "containerName", Str, Ptr),
            new(2, "operator", Str, Keep),
            new(3, "values", I32, Rep),
        ]),
        new("batch.PodFailurePolicyOnPodConditionsPattern",
        [
            new(1, "type", Str, Keep),
            new(2, "status", Str, Keep),
        ]),
        new("batch.SuccessPolicy",
        [
            new(1, "rules", Msg, Rep, "batch.SuccessPolicyRule"),
        ]),
        new("batch.SuccessPolicyRule",
        [
            new(1, "succeededIndexes", Str, Ptr),
            new(2, "succeededCount", I32, Ptr),
        ]),
        new("batch.CronJob",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "spec", Msg, None, "batch.CronJobSpec"),
        ]),
        new("batch.CronJobSpec",
        [
            new(1, "schedule", Str, Keep),
            new(2, "startingDeadlineSeconds", I64, Ptr),
            new(3, "concurrencyPolicy", Str, None),
            new(4, "suspend", Bool, Ptr),
            new(5, "jobTemplate", Msg, None, "batch.JobTemplateSpec"),
            new(6, "successfulJobsHistoryLimit", I32, Ptr),
            new(7, "failedJobsHistoryLimit", I32, Ptr),
            new(8, "timeZone", Str, Ptr),
        ]),
        new("batch.JobTemplateSpec",
        [
            new(1, "metadata", Msg, None, "meta.ObjectMeta"),
            new(2, "spec", Msg, None, "batch.JobSpec"),
        ]),
    ];
}
