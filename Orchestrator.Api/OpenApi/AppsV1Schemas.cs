using static Orchestrator.Api.OpenApi.SchemaDsl;

namespace Orchestrator.Api.OpenApi;

/// <summary>apps/v1: Deployment, ReplicaSet, DaemonSet, ControllerRevision.</summary>
internal static class AppsV1Schemas
{
    public static void Register(SchemaRegistry r)
    {
        r.Kind(Apps + "Deployment", "apps", "v1", "Deployment", "Declarative updates for pods through ReplicaSets.",
            Ref("spec", Apps + "DeploymentSpec", "Desired behaviour of the deployment."),
            Ref("status", Apps + "DeploymentStatus", "Most recently observed state of the deployment."));
        r.Add(Apps + "DeploymentSpec", Obj("Desired behaviour of a deployment.",
            Int("replicas", "Desired number of pods; defaults to 1."),
            Req(Ref("selector", Meta + "LabelSelector", "Selects the pods the deployment manages; must match the template's labels.")),
            Req(Ref("template", CoreV1 + "PodTemplateSpec", "Template for the pods to run.")),
            Ref("strategy", Apps + "DeploymentStrategy", "How existing pods are replaced by new ones."),
            Int("minReadySeconds", "Seconds a new pod must be ready before it counts as available."),
            Int("revisionHistoryLimit", "Old ReplicaSets kept to allow rollback; defaults to 10."),
            Bool("paused", "Whether the deployment is paused."),
            Int("progressDeadlineSeconds", "Seconds without progress before the rollout is reported as failed; defaults to 600.")));
        r.Add(Apps + "DeploymentStrategy", Obj("How a deployment replaces pods.",
            Enum("type", "Replacement strategy; defaults to RollingUpdate.", "Recreate", "RollingUpdate"),
            Ref("rollingUpdate", Apps + "RollingUpdateDeployment", "Parameters for the RollingUpdate strategy.")));
        r.Add(Apps + "RollingUpdateDeployment", Obj("Controls the pace of a rolling update.",
            IntOrStr("maxUnavailable", "Pods (count or percentage) that may be unavailable during the update; defaults to 25%."),
            IntOrStr("maxSurge", "Pods (count or percentage) that may be created above the desired count; defaults to 25%.")));
        r.Add(Apps + "DeploymentStatus", Obj("Observed state of a deployment.",
            Long("observedGeneration", "Generation most recently acted upon by the controller."),
            Int("replicas", "Non-terminated pods targeted by the deployment."),
            Int("updatedReplicas", "Pods that run the current template."),
            Int("readyReplicas", "Pods that are ready."),
            Int("availableReplicas", "Pods that have been ready for at least minReadySeconds."),
            Int("unavailableReplicas", "Pods still needed to reach full availability."),
            Int("terminatingReplicas", "Pods that are shutting down."),
            List("conditions", Apps + "DeploymentCondition", "Current conditions, such as Available and Progressing.", "type"),
            Int("collisionCount", "Counter used to avoid ReplicaSet name collisions.")));
        r.Add(Apps + "DeploymentCondition", Obj("One condition of a deployment.",
            Req(Enum("type", "Condition type.", "Available", "Progressing", "ReplicaFailure")),
            Req(Enum("status", "Whether the condition holds.", "False", "True", "Unknown")),
            Timestamp("lastUpdateTime", "When the condition was last updated."),
            Timestamp("lastTransitionTime", "When the status last changed."),
            Str("reason", "Brief reason for the last transition."),
            Str("message", "Human-readable details.")));

        r.Kind(Apps + "ReplicaSet", "apps", "v1", "ReplicaSet", "Keeps a given number of identical pods running.",
            Ref("spec", Apps + "ReplicaSetSpec", "Desired behaviour of the replica set."),
            Ref("status", Apps + "ReplicaSetStatus", "Most recently observed state; may lag behind the spec."));
        r.Add(Apps + "ReplicaSetSpec", Obj("Desired behaviour of a replica set.",
            Int("replicas", "Desired number of pods; defaults to 1."),
            Int("minReadySeconds", "Seconds a new pod must be ready before it counts as available."),
            Req(Ref("selector", Meta + "LabelSelector", "Selects the pods counted as replicas; must match the template's labels.")),
            Ref("template", CoreV1 + "PodTemplateSpec", "Template for the pods created when too few exist.")));
        r.Add(Apps + "ReplicaSetStatus", Obj("Observed state of a replica set.",
            Req(Int("replicas", "Most recently observed number of pods.")),
            Int("fullyLabeledReplicas", "Pods whose labels match the template's."),
            Int("readyReplicas", "Pods that are ready."),
            Int("availableReplicas", "Pods that have been ready for at least minReadySeconds."),
            Int("terminatingReplicas", "Pods that are shutting down."),
            Long("observedGeneration", "Generation most recently acted upon."),
            List("conditions", Apps + "ReplicaSetCondition", "Current conditions.", "type")));
        r.Add(Apps + "ReplicaSetCondition", Obj("One condition of a replica set.",
            Req(Str("type", "Condition type, such as ReplicaFailure.")),
            Req(Enum("status", "Whether the condition holds.", "False", "True", "Unknown")),
            Timestamp("lastTransitionTime", "When the status last changed."),
            Str("reason", "Brief reason for the last transition."),
            Str("message", "Human-readable details.")));

        r.Kind(Apps + "DaemonSet", "apps", "v1", "DaemonSet", "Runs one copy of a pod on every eligible node.",
            Ref("spec", Apps + "DaemonSetSpec", "Desired behaviour of the daemon set."),
            Ref("status", Apps + "DaemonSetStatus", "Most recently observed state of the daemon set."));
        r.Add(Apps + "DaemonSetSpec", Obj("Desired behaviour of a daemon set.",
            Req(Ref("selector", Meta + "LabelSelector", "Selects the pods the daemon set manages; must match the template's labels.")),
            Req(Ref("template", CoreV1 + "PodTemplateSpec", "Template for the pod run on each node.")),
            Ref("updateStrategy", Apps + "DaemonSetUpdateStrategy", "How pods are replaced when the template changes."),
            Int("minReadySeconds", "Seconds a new pod must be ready before it counts as available."),
            Int("revisionHistoryLimit", "Old revisions kept to allow rollback; defaults to 10.")));
        r.Add(Apps + "DaemonSetUpdateStrategy", Obj("How a daemon set replaces pods.",
            Enum("type", "Replacement strategy; defaults to RollingUpdate.", "OnDelete", "RollingUpdate"),
            Ref("rollingUpdate", Apps + "RollingUpdateDaemonSet", "Parameters for the RollingUpdate strategy.")));
        r.Add(Apps + "RollingUpdateDaemonSet", Obj("Controls the pace of a daemon set rolling update.",
            IntOrStr("maxUnavailable", "Nodes (count or percentage) whose pod may be unavailable during the update; defaults to 1."),
            IntOrStr("maxSurge", "Nodes (count or percentage) that may briefly run an extra new pod; defaults to 0.")));
        r.Add(Apps + "DaemonSetStatus", Obj("Observed state of a daemon set.",
            Req(Int("currentNumberScheduled", "Nodes running at least one daemon pod that should.")),
            Req(Int("numberMisscheduled", "Nodes running a daemon pod that should not.")),
            Req(Int("desiredNumberScheduled", "Nodes that should run the daemon pod.")),
            Req(Int("numberReady", "Nodes whose daemon pod is ready.")),
            Long("observedGeneration", "Generation most recently acted upon."),
            Int("updatedNumberScheduled", "Nodes running the current template."),
            Int("numberAvailable", "Nodes whose daemon pod has been ready for minReadySeconds."),
            Int("numberUnavailable", "Nodes whose daemon pod is not available."),
            Int("collisionCount", "Counter used to avoid revision name collisions."),
            List("conditions", Apps + "DaemonSetCondition", "Current conditions.", "type")));
        r.Add(Apps + "DaemonSetCondition", Obj("One condition of a daemon set.",
            Req(Str("type", "Condition type.")),
            Req(Enum("status", "Whether the condition holds.", "False", "True", "Unknown")),
            Timestamp("lastTransitionTime", "When the status last changed."),
            Str("reason", "Brief reason for the last transition."),
            Str("message", "Human-readable details.")));

        r.Kind(Apps + "ControllerRevision", "apps", "v1", "ControllerRevision",
            "An immutable snapshot of a controller's template, kept for rollbacks.",
            Ref("data", "io.k8s.apimachinery.pkg.runtime.RawExtension", "The serialized state captured by this revision."),
            Req(Long("revision", "Revision number of the snapshot.")));

        r.Kind(Autoscaling + "Scale", "autoscaling", "v1", "Scale", "The scale subresource of a scalable object.",
            Ref("spec", Autoscaling + "ScaleSpec", "Desired scale."),
            Ref("status", Autoscaling + "ScaleStatus", "Current scale; read-only."));
        r.Add(Autoscaling + "ScaleSpec", Obj("Desired scale.",
            Int("replicas", "Desired number of instances.")));
        r.Add(Autoscaling + "ScaleStatus", Obj("Current scale.",
            Req(Int("replicas", "Actual number of instances.")),
            Str("selector", "Label query for the pods counted, in string form.")));
    }
}
