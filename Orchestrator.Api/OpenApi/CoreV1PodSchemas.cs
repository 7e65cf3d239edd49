using static Orchestrator.Api.OpenApi.SchemaDsl;

namespace Orchestrator.Api.OpenApi;

/// <summary>core/v1 schemas for pods and everything nested in them: containers, probes, volumes, scheduling.</summary>
internal static class CoreV1PodSchemas
{
    public static void Register(SchemaRegistry r)
    {
        r.Kind(CoreV1 + "Pod", "", "v1", "Pod", "A group of containers that share network and storage and are scheduled onto one node together.",
            Ref("spec", CoreV1 + "PodSpec", "Desired behaviour of the pod."),
            Ref("status", CoreV1 + "PodStatus", "Most recently observed state of the pod; filled in by the system."));

        r.Add(CoreV1 + "PodTemplateSpec", Obj("The template from which a controller creates pods.",
            Ref("metadata", Meta + "ObjectMeta", "Metadata given to every pod created from the template."),
            Ref("spec", CoreV1 + "PodSpec", "Specification of the pods to create.")));

        r.Add(CoreV1 + "PodSpec", Obj("Desired state of a pod.",
            Req(List("containers", CoreV1 + "Container", "The containers of the pod; at least one is required.", "name")),
            List("initContainers", CoreV1 + "Container", "Containers run to completion, one after another, before the main containers start.", "name"),
            List("ephemeralContainers", CoreV1 + "EphemeralContainer", "Temporary containers added to a running pod for debugging.", "name"),
            List("volumes", CoreV1 + "Volume", "Volumes that containers of the pod may mount.", "name", "merge,retainKeys"),
            Enum("restartPolicy", "Whether containers are restarted when they exit.", "Always", "Never", "OnFailure"),
            Long("terminationGracePeriodSeconds", "Seconds the pod is given to stop gracefully after deletion is requested."),
            Long("activeDeadlineSeconds", "Seconds the pod may be active before the system marks it failed."),
            Enum("dnsPolicy", "How the pod's DNS resolver is configured.", "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"),
            Ref("dnsConfig", CoreV1 + "PodDNSConfig", "Extra DNS settings merged into those produced by dnsPolicy."),
            StrMap("nodeSelector", "Labels a node must carry for the pod to be scheduled on it."),
            Str("serviceAccountName", "Service account the pod runs as."),
            Str("serviceAccount", "Deprecated alias of serviceAccountName."),
            Bool("automountServiceAccountToken", "Whether a service account token is mounted into the pod."),
            Str("nodeName", "Node the pod is bound to; set by the scheduler, or directly to bypass it."),
            Bool("hostNetwork", "Use the node's network namespace instead of a pod network."),
            Bool("hostPID", "Use the node's process ID namespace."),
            Bool("hostIPC", "Use the node's IPC namespace."),
            Bool("shareProcessNamespace", "Put all containers of the pod into one process namespace."),
            Ref("securityContext", CoreV1 + "PodSecurityContext", "Security settings that apply to every container of the pod."),
            List("imagePullSecrets", CoreV1 + "LocalObjectReference", "Secrets holding registry credentials used to pull images.", "name"),
            Str("hostname", "Host name of the pod; defaults to the pod name."),
            Str("subdomain", "Makes the pod's fully qualified name <hostname>.<subdomain>.<namespace>.svc.<cluster domain>."),
            Ref("affinity", CoreV1 + "Affinity", "Scheduling constraints relative to nodes and other pods."),
            Str("schedulerName", "Scheduler responsible for placing the pod."),
            List("tolerations", CoreV1 + "Toleration", "Taints the pod tolerates."),
            List("hostAliases", CoreV1 + "HostAlias", "Extra entries written into the pod's hosts file.", "ip"),
            Str("priorityClassName", "Name of the PriorityClass giving the pod its priority."),
            Int("priority", "Priority value resolved from priorityClassName."),
            Str("runtimeClassName", "RuntimeClass used to run the pod."),
            Bool("enableServiceLinks", "Whether service information is injected into the environment of containers."),
            Enum("preemptionPolicy", "Whether the pod may preempt lower-priority pods.", "Never", "PreemptLowerPriority"),
            List("topologySpreadConstraints", CoreV1 + "TopologySpreadConstraint", "How the pods of a group are spread across topology domains.",
                "topologyKey", "merge", "topologyKey", "whenUnsatisfiable"),
            Bool("setHostnameAsFQDN", "Use the fully qualified domain name as the host name of the pod."),
            List("readinessGates", CoreV1 + "PodReadinessGate", "Extra pod conditions that must be true before the pod counts as ready."),
            RefMap("overhead", Quantity, "Resources used by the pod sandbox itself, added to the containers' requests; set from the RuntimeClass."),
            Ref("os", CoreV1 + "PodOS", "Operating system the pod's containers need; restricts which fields are allowed."),
            Bool("hostUsers", "Whether the pod shares the node's user namespace; false gives it a user namespace of its own."),
            List("schedulingGates", CoreV1 + "PodSchedulingGate", "Gates that keep the pod from being scheduled until all are removed.", "name"),
            List("resourceClaims", CoreV1 + "PodResourceClaim", "Dynamic resource claims the pod's containers may use.", "name", "merge,retainKeys"),
            Ref("resources", CoreV1 + "ResourceRequirements", "Resources for the pod as a whole, shared by its containers.")));

        r.Add(CoreV1 + "LocalObjectReference", Obj("Refers to another object in the same namespace by name.",
            Str("name", "Name of the referenced object.")));

        r.Add(CoreV1 + "Container", Obj("One container of a pod.", ContainerFields()));
        r.Add(CoreV1 + "EphemeralContainer", Obj("A temporary container added to a running pod, for example by kubectl debug.",
            [.. ContainerFields(),
             Str("targetContainerName", "Container whose process namespace the ephemeral container joins.")]));
        r.Add(CoreV1 + "ContainerResizePolicy", Obj("Restart behaviour when one resource of a container is resized.",
            Req(Str("resourceName", "The resource, such as cpu or memory.")),
            Req(Enum("restartPolicy", "Whether the container restarts when the resource changes.", "NotRequired", "RestartContainer"))));
        r.Add(CoreV1 + "VolumeDevice", Obj("A raw block device mapped into a container.",
            Req(Str("name", "Name of the persistent volume claim volume of the pod.")),
            Req(Str("devicePath", "Path inside the container where the device appears."))));
        r.Add(CoreV1 + "PodReadinessGate", Obj("An extra condition considered for pod readiness.",
            Req(Str("conditionType", "Condition type in the pod's status that must be True."))));
        r.Add(CoreV1 + "PodOS", Obj("Operating system of a pod.",
            Req(Str("name", "Operating system name, such as linux or windows."))));
        r.Add(CoreV1 + "PodSchedulingGate", Obj("A gate that holds back scheduling of a pod.",
            Req(Str("name", "Name of the gate; unique within the pod."))));
        r.Add(CoreV1 + "PodResourceClaim", Obj("Names a dynamic resource claim for use by the pod's containers.",
            Req(Str("name", "Name of this entry, referenced from containers' resources.claims.")),
            Str("resourceClaimName", "Existing ResourceClaim in the pod's namespace."),
            Str("resourceClaimTemplateName", "ResourceClaimTemplate from which a claim is generated for the pod.")));
        r.Add(CoreV1 + "ResourceClaim", Obj("Refers to one entry of the pod's resourceClaims.",
            Req(Str("name", "Name of the pod resource claim entry.")),
            Str("request", "Single request within that claim to use; empty means all of it.")));

        r.Add(CoreV1 + "ContainerPort", Obj("A network port in a container.",
            Str("name", "Name by which services can refer to the port; must be unique within the pod."),
            Req(Int("containerPort", "Port number on the pod's IP address.")),
            Enum("protocol", "Protocol of the port; defaults to TCP.", "SCTP", "TCP", "UDP"),
            Int("hostPort", "Port number exposed on the node's IP, if any."),
            Str("hostIP", "Node IP address to bind the host port to.")));

        r.Add(CoreV1 + "EnvVar", Obj("An environment variable of a container.",
            Req(Str("name", "Name of the variable.")),
            Str("value", "Literal value; $(VAR) references to earlier variables are expanded."),
            Ref("valueFrom", CoreV1 + "EnvVarSource", "Where the value comes from when it is not a literal.")));
        r.Add(CoreV1 + "EnvVarSource", Obj("A source for an environment variable's value.",
            Ref("configMapKeyRef", CoreV1 + "ConfigMapKeySelector", "A key of a ConfigMap."),
            Ref("secretKeyRef", CoreV1 + "SecretKeySelector", "A key of a Secret."),
            Ref("fieldRef", CoreV1 + "ObjectFieldSelector", "A field of the pod, such as metadata.name or status.podIP."),
            Ref("resourceFieldRef", CoreV1 + "ResourceFieldSelector", "A resource limit or request of a container.")));
        r.Add(CoreV1 + "ConfigMapKeySelector", Obj("Selects one key of a ConfigMap.",
            Req(Str("key", "The key to read.")),
            Str("name", "Name of the ConfigMap."),
            Bool("optional", "Whether a missing ConfigMap or key is tolerated.")));
        r.Add(CoreV1 + "SecretKeySelector", Obj("Selects one key of a Secret.",
            Req(Str("key", "The key to read.")),
            Str("name", "Name of the Secret."),
            Bool("optional", "Whether a missing Secret or key is tolerated.")));
        r.Add(CoreV1 + "ObjectFieldSelector", Obj("Selects a field of the pod.",
            Str("apiVersion", "API version the field path is written against; defaults to v1."),
            Req(Str("fieldPath", "Path of the field, such as metadata.labels['app']."))));
        r.Add(CoreV1 + "ResourceFieldSelector", Obj("Selects a resource amount of a container.",
            Str("containerName", "Container whose resources are read; required for volumes."),
            Req(Str("resource", "Resource to read, such as limits.cpu or requests.memory.")),
            Qty("divisor", "Unit the value is expressed in; defaults to 1.")));
        r.Add(CoreV1 + "EnvFromSource", Obj("A source of a whole set of environment variables.",
            Str("prefix", "String prepended to every key."),
            Ref("configMapRef", CoreV1 + "ConfigMapEnvSource", "A ConfigMap whose keys become variables."),
            Ref("secretRef", CoreV1 + "SecretEnvSource", "A Secret whose keys become variables.")));
        r.Add(CoreV1 + "ConfigMapEnvSource", Obj("A ConfigMap used as an environment source.",
            Str("name", "Name of the ConfigMap."),
            Bool("optional", "Whether a missing ConfigMap is tolerated.")));
        r.Add(CoreV1 + "SecretEnvSource", Obj("A Secret used as an environment source.",
            Str("name", "Name of the Secret."),
            Bool("optional", "Whether a missing Secret is tolerated.")));

        r.Add(CoreV1 + "ResourceRequirements", Obj("Compute resource requests and limits.",
            RefMap("limits", Quantity, "Maximum amount of each resource the container may use."),
            RefMap("requests", Quantity, "Amount of each resource reserved for scheduling; defaults to the limits."),
            List("claims", CoreV1 + "ResourceClaim", "Entries of the pod's resourceClaims this container uses.", "name")));

        r.Add(CoreV1 + "VolumeMount", Obj("Mounts a pod volume into a container.",
            Req(Str("name", "Name of the pod volume.")),
            Req(Str("mountPath", "Path inside the container; must not contain ':'.")),
            Bool("readOnly", "Mount read-only."),
            Str("subPath", "Path inside the volume to mount instead of its root."),
            Str("subPathExpr", "Like subPath, with $(VAR) expansion from the container environment."),
            Enum("mountPropagation", "How mounts propagate between host and container.", "Bidirectional", "HostToContainer", "None"),
            Enum("recursiveReadOnly", "Whether a read-only mount is also read-only in its sub-mounts.", "Disabled", "Enabled", "IfPossible")));

        r.Add(CoreV1 + "Probe", Obj("A health check run against a container.",
            Ref("exec", CoreV1 + "ExecAction", "Run a command inside the container."),
            Ref("httpGet", CoreV1 + "HTTPGetAction", "Send an HTTP GET request."),
            Ref("tcpSocket", CoreV1 + "TCPSocketAction", "Open a TCP connection."),
            Ref("grpc", CoreV1 + "GRPCAction", "Call the gRPC health checking service."),
            Int("initialDelaySeconds", "Seconds after the container starts before the first probe."),
            Int("timeoutSeconds", "Seconds after which one probe attempt times out; defaults to 1."),
            Int("periodSeconds", "Seconds between probes; defaults to 10."),
            Int("successThreshold", "Consecutive successes needed after a failure; defaults to 1."),
            Int("failureThreshold", "Consecutive failures before the probe counts as failed; defaults to 3."),
            Long("terminationGracePeriodSeconds", "Grace period used when a failed probe kills the container.")));
        r.Add(CoreV1 + "ExecAction", Obj("Runs a command inside the container; exit code 0 means success.",
            StrList("command", "Command and arguments; not run in a shell.")));
        r.Add(CoreV1 + "HTTPGetAction", Obj("An HTTP GET request; a 2xx or 3xx status means success.",
            Str("path", "Path of the request."),
            Req(IntOrStr("port", "Port number or named container port to connect to.")),
            Str("host", "Host to connect to; defaults to the pod IP."),
            Enum("scheme", "Scheme of the request; defaults to HTTP.", "HTTP", "HTTPS"),
            List("httpHeaders", CoreV1 + "HTTPHeader", "Extra request headers.")));
        r.Add(CoreV1 + "HTTPHeader", Obj("One HTTP header.",
            Req(Str("name", "Header name.")),
            Req(Str("value", "Header value."))));
        r.Add(CoreV1 + "TCPSocketAction", Obj("Opens a TCP connection; success when it connects.",
            Req(IntOrStr("port", "Port number or named container port to connect to.")),
            Str("host", "Host to connect to; defaults to the pod IP.")));
        r.Add(CoreV1 + "GRPCAction", Obj("Calls the standard gRPC health service.",
            Req(Int("port", "Port number of the gRPC service.")),
            Str("service", "Service name sent in the health check request.")));
        r.Add(CoreV1 + "Lifecycle", Obj("Hooks run at container start and stop.",
            Ref("postStart", CoreV1 + "LifecycleHandler", "Runs right after the container is created; the container is killed if it fails."),
            Ref("preStop", CoreV1 + "LifecycleHandler", "Runs before the container is stopped, within the grace period.")));
        r.Add(CoreV1 + "LifecycleHandler", Obj("One action of a lifecycle hook; exactly one of the fields is set.",
            Ref("exec", CoreV1 + "ExecAction", "Run a command inside the container."),
            Ref("httpGet", CoreV1 + "HTTPGetAction", "Send an HTTP GET request."),
            Ref("tcpSocket", CoreV1 + "TCPSocketAction", "Deprecated; kept for compatibility."),
            Ref("sleep", CoreV1 + "SleepAction", "Wait for a number of seconds.")));
        r.Add(CoreV1 + "SleepAction", Obj("Waits for a while.",
            Req(Long("seconds", "Seconds to sleep."))));

        r.Add(CoreV1 + "SecurityContext", Obj("Security settings of one container.",
            Ref("capabilities", CoreV1 + "Capabilities", "Linux capabilities to add or drop."),
            Bool("privileged", "Run as privileged, equivalent to root on the host."),
            Long("runAsUser", "UID the process runs as."),
            Long("runAsGroup", "GID the process runs as."),
            Bool("runAsNonRoot", "Refuse to start the container if it would run as UID 0."),
            Bool("readOnlyRootFilesystem", "Mount the container's root file system read-only."),
            Bool("allowPrivilegeEscalation", "Whether a process may gain more privileges than its parent."),
            Ref("seccompProfile", CoreV1 + "SeccompProfile", "Seccomp profile applied to the container."),
            Enum("procMount", "Which proc mount type to use.", "Default", "Unmasked"),
            Ref("seLinuxOptions", CoreV1 + "SELinuxOptions", "SELinux context of the container."),
            Ref("windowsOptions", CoreV1 + "WindowsSecurityContextOptions", "Windows-specific settings of the container."),
            Ref("appArmorProfile", CoreV1 + "AppArmorProfile", "AppArmor profile of the container.")));
        r.Add(CoreV1 + "SELinuxOptions", Obj("An SELinux label.",
            Str("user", "SELinux user."),
            Str("role", "SELinux role."),
            Str("type", "SELinux type."),
            Str("level", "SELinux level.")));
        r.Add(CoreV1 + "WindowsSecurityContextOptions", Obj("Windows-specific security settings.",
            Str("gmsaCredentialSpecName", "Name of the GMSA credential spec resource to use."),
            Str("gmsaCredentialSpec", "Inline GMSA credential spec contents."),
            Str("runAsUserName", "Windows user name the entrypoint runs as."),
            Bool("hostProcess", "Run as a Windows host process container.")));
        r.Add(CoreV1 + "AppArmorProfile", Obj("An AppArmor profile.",
            Req(Enum("type", "Kind of profile.", "Localhost", "RuntimeDefault", "Unconfined")),
            Str("localhostProfile", "Name of a profile loaded on the node, for type Localhost.")));
        r.Add(CoreV1 + "Sysctl", Obj("A kernel parameter set for the pod.",
            Req(Str("name", "Parameter name.")),
            Req(Str("value", "Parameter value."))));
        r.Add(CoreV1 + "Capabilities", Obj("Linux capabilities to add or remove.",
            StrList("add", "Capabilities to add."),
            StrList("drop", "Capabilities to remove.")));
        r.Add(CoreV1 + "SeccompProfile", Obj("A seccomp profile.",
            Req(Enum("type", "Kind of profile.", "Localhost", "RuntimeDefault", "Unconfined")),
            Str("localhostProfile", "Path of a profile file on the node, for type Localhost.")));
        r.Add(CoreV1 + "PodSecurityContext", Obj("Security settings shared by every container of a pod.",
            Long("runAsUser", "Default UID for container processes."),
            Long("runAsGroup", "Default GID for container processes."),
            Bool("runAsNonRoot", "Refuse to start containers that would run as UID 0."),
            Long("fsGroup", "Supplementary group that owns mounted volumes."),
            IntList("supplementalGroups", "Extra groups added to every container's first process.", "int64"),
            Enum("fsGroupChangePolicy", "When volume ownership is changed to fsGroup.", "Always", "OnRootMismatch"),
            Ref("seccompProfile", CoreV1 + "SeccompProfile", "Default seccomp profile of the containers."),
            Ref("seLinuxOptions", CoreV1 + "SELinuxOptions", "Default SELinux context of the containers."),
            Ref("windowsOptions", CoreV1 + "WindowsSecurityContextOptions", "Default Windows settings of the containers."),
            Enum("supplementalGroupsPolicy", "How the supplemental groups of the first process are computed.", "Merge", "Strict"),
            List("sysctls", CoreV1 + "Sysctl", "Namespaced kernel parameters set for the pod."),
            Ref("appArmorProfile", CoreV1 + "AppArmorProfile", "Default AppArmor profile of the containers."),
            Enum("seLinuxChangePolicy", "How the SELinux label is applied to the pod's volumes.", "MountOption", "Recursive")));

        r.Add(CoreV1 + "Volume", Obj("A named volume that containers of the pod can mount; exactly one source is set.",
            Req(Str("name", "Name of the volume, unique within the pod.")),
            Ref("emptyDir", CoreV1 + "EmptyDirVolumeSource", "A scratch directory that lives as long as the pod."),
            Ref("hostPath", CoreV1 + "HostPathVolumeSource", "A file or directory of the node."),
            Ref("configMap", CoreV1 + "ConfigMapVolumeSource", "The keys of a ConfigMap as files."),
            Ref("secret", CoreV1 + "SecretVolumeSource", "The keys of a Secret as files."),
            Ref("downwardAPI", CoreV1 + "DownwardAPIVolumeSource", "Pod fields and resource values as files."),
            Ref("projected", CoreV1 + "ProjectedVolumeSource", "Several sources combined into one directory."),
            Ref("persistentVolumeClaim", CoreV1 + "PersistentVolumeClaimVolumeSource", "A persistent volume claimed in the same namespace."),
            Ref("ephemeral", CoreV1 + "EphemeralVolumeSource", "A volume from a claim created with the pod and deleted with it."),
            Ref("csi", CoreV1 + "CSIVolumeSource", "An inline volume provided by a CSI driver."),
            Ref("image", CoreV1 + "ImageVolumeSource", "The contents of an OCI image or artifact, read-only."),
            Ref("nfs", CoreV1 + "NFSVolumeSource", "An NFS export."),
            Ref("iscsi", CoreV1 + "ISCSIVolumeSource", "An iSCSI disk."),
            Ref("gitRepo", CoreV1 + "GitRepoVolumeSource", "Deprecated: a git repository cloned into an empty directory."),
            Ref("awsElasticBlockStore", CoreV1 + "AWSElasticBlockStoreVolumeSource", "Deprecated: an AWS EBS disk."),
            Ref("gcePersistentDisk", CoreV1 + "GCEPersistentDiskVolumeSource", "Deprecated: a GCE persistent disk."),
            Ref("azureDisk", CoreV1 + "AzureDiskVolumeSource", "Deprecated: an Azure data disk."),
            Ref("azureFile", CoreV1 + "AzureFileVolumeSource", "Deprecated: an Azure file share."),
            Ref("cinder", CoreV1 + "CinderVolumeSource", "Deprecated: an OpenStack Cinder volume."),
            Ref("cephfs", CoreV1 + "CephFSVolumeSource", "Deprecated: a CephFS mount."),
            Ref("rbd", CoreV1 + "RBDVolumeSource", "Deprecated: a Ceph RADOS block device."),
            Ref("glusterfs", CoreV1 + "GlusterfsVolumeSource", "Deprecated: a GlusterFS mount."),
            Ref("fc", CoreV1 + "FCVolumeSource", "A Fibre Channel disk."),
            Ref("flexVolume", CoreV1 + "FlexVolumeSource", "Deprecated: a volume provided by an exec-based plugin."),
            Ref("flocker", CoreV1 + "FlockerVolumeSource", "Deprecated: a Flocker dataset."),
            Ref("vsphereVolume", CoreV1 + "VsphereVirtualDiskVolumeSource", "Deprecated: a vSphere disk."),
            Ref("quobyte", CoreV1 + "QuobyteVolumeSource", "Deprecated: a Quobyte mount."),
            Ref("photonPersistentDisk", CoreV1 + "PhotonPersistentDiskVolumeSource", "Deprecated: a Photon Controller disk."),
            Ref("portworxVolume", CoreV1 + "PortworxVolumeSource", "Deprecated: a Portworx volume."),
            Ref("scaleIO", CoreV1 + "ScaleIOVolumeSource", "Deprecated: a ScaleIO volume."),
            Ref("storageos", CoreV1 + "StorageOSVolumeSource", "Deprecated: a StorageOS volume.")));
        r.Add(CoreV1 + "EmptyDirVolumeSource", Obj("An initially empty directory that lives as long as the pod.",
            Enum("medium", "Storage medium backing the directory; empty means the node's default disk.", "", "Memory"),
            Qty("sizeLimit", "Maximum amount of storage the directory may use.")));
        r.Add(CoreV1 + "HostPathVolumeSource", Obj("A path on the node's file system.",
            Req(Str("path", "Path on the node.")),
            Enum("type", "What must exist at the path; empty means no check.",
                "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket")));
        r.Add(CoreV1 + "KeyToPath", Obj("Maps one key to a file path.",
            Req(Str("key", "The key to project.")),
            Req(Str("path", "Relative path of the file to create.")),
            Int("mode", "Permission bits of the file.")));
        r.Add(CoreV1 + "ConfigMapVolumeSource", Obj("Presents a ConfigMap's keys as files.",
            Str("name", "Name of the ConfigMap."),
            List("items", CoreV1 + "KeyToPath", "Keys to project and where; by default every key becomes a file of its own name."),
            Int("defaultMode", "Permission bits of the created files; defaults to 0644."),
            Bool("optional", "Whether a missing ConfigMap is tolerated.")));
        r.Add(CoreV1 + "SecretVolumeSource", Obj("Presents a Secret's keys as files.",
            Str("secretName", "Name of the Secret."),
            List("items", CoreV1 + "KeyToPath", "Keys to project and where; by default every key becomes a file of its own name."),
            Int("defaultMode", "Permission bits of the created files; defaults to 0644."),
            Bool("optional", "Whether a missing Secret is tolerated.")));
        r.Add(CoreV1 + "DownwardAPIVolumeSource", Obj("Presents pod information as files.",
            List("items", CoreV1 + "DownwardAPIVolumeFile", "The files to create."),
            Int("defaultMode", "Permission bits of the created files.")));
        r.Add(CoreV1 + "DownwardAPIVolumeFile", Obj("One file filled from a pod field or resource value.",
            Req(Str("path", "Relative path of the file.")),
            Ref("fieldRef", CoreV1 + "ObjectFieldSelector", "Pod field to write."),
            Ref("resourceFieldRef", CoreV1 + "ResourceFieldSelector", "Container resource value to write."),
            Int("mode", "Permission bits of the file.")));
        r.Add(CoreV1 + "ProjectedVolumeSource", Obj("Combines several sources into one directory.",
            List("sources", CoreV1 + "VolumeProjection", "The sources to combine."),
            Int("defaultMode", "Permission bits of the created files.")));
        r.Add(CoreV1 + "VolumeProjection", Obj("One source of a projected volume.",
            Ref("configMap", CoreV1 + "ConfigMapProjection", "Keys of a ConfigMap."),
            Ref("secret", CoreV1 + "SecretProjection", "Keys of a Secret."),
            Ref("downwardAPI", CoreV1 + "DownwardAPIProjection", "Pod fields."),
            Ref("serviceAccountToken", CoreV1 + "ServiceAccountTokenProjection", "A token of the pod's service account."),
            Ref("clusterTrustBundle", CoreV1 + "ClusterTrustBundleProjection", "Certificates from ClusterTrustBundle objects.")));
        r.Add(CoreV1 + "ConfigMapProjection", Obj("ConfigMap keys in a projected volume.",
            Str("name", "Name of the ConfigMap."),
            List("items", CoreV1 + "KeyToPath", "Keys to project and where."),
            Bool("optional", "Whether a missing ConfigMap is tolerated.")));
        r.Add(CoreV1 + "SecretProjection", Obj("Secret keys in a projected volume.",
            Str("name", "Name of the Secret."),
            List("items", CoreV1 + "KeyToPath", "Keys to project and where."),
            Bool("optional", "Whether a missing Secret is tolerated.")));
        r.Add(CoreV1 + "DownwardAPIProjection", Obj("Pod fields in a projected volume.",
            List("items", CoreV1 + "DownwardAPIVolumeFile", "The files to create.")));
        r.Add(CoreV1 + "ServiceAccountTokenProjection", Obj("A service account token written to a file and refreshed before it expires.",
            Str("audience", "Intended audience of the token."),
            Long("expirationSeconds", "Requested lifetime of the token."),
            Req(Str("path", "Relative path of the token file."))));
        r.Add(CoreV1 + "PersistentVolumeClaimVolumeSource", Obj("Mounts the volume bound to a claim.",
            Req(Str("claimName", "Name of the PersistentVolumeClaim.")),
            Bool("readOnly", "Mount read-only.")));

        r.Add(CoreV1 + "Toleration", Obj("Lets a pod be scheduled onto (or stay on) nodes with a matching taint.",
            Str("key", "Taint key to match; empty with operator Exists matches every taint."),
            Enum("operator", "How key and value are compared; defaults to Equal.", "Equal", "Exists"),
            Str("value", "Taint value to match for operator Equal."),
            Enum("effect", "Taint effect to match; empty matches all effects.", "NoExecute", "NoSchedule", "PreferNoSchedule"),
            Long("tolerationSeconds", "For NoExecute, how long the pod stays bound after the taint appears.")));
        r.Add(CoreV1 + "HostAlias", Obj("An extra hosts file entry.",
            Req(Str("ip", "IP address of the entry.")),
            StrList("hostnames", "Host names for that address.")));
        r.Add(CoreV1 + "PodDNSConfig", Obj("DNS resolver settings of a pod.",
            StrList("nameservers", "Name server IP addresses."),
            StrList("searches", "DNS search domains."),
            List("options", CoreV1 + "PodDNSConfigOption", "Resolver options.")));
        r.Add(CoreV1 + "PodDNSConfigOption", Obj("One resolver option.",
            Str("name", "Option name."),
            Str("value", "Option value.")));
        r.Add(CoreV1 + "TopologySpreadConstraint", Obj("Limits how unevenly matching pods may be spread across a topology.",
            Req(Int("maxSkew", "Largest allowed difference in matching pods between two domains.")),
            Req(Str("topologyKey", "Node label whose values define the domains.")),
            Req(Enum("whenUnsatisfiable", "What to do when the constraint cannot be met.", "DoNotSchedule", "ScheduleAnyway")),
            Ref("labelSelector", Meta + "LabelSelector", "Which pods are counted."),
            Int("minDomains", "Minimum number of eligible domains."),
            Enum("nodeAffinityPolicy", "Whether the pod's node affinity and selector limit the domains counted.", "Honor", "Ignore"),
            Enum("nodeTaintsPolicy", "Whether node taints limit the domains counted.", "Honor", "Ignore"),
            StrList("matchLabelKeys", "Label keys whose values, taken from the incoming pod, narrow the pods counted.")));

        r.Add(CoreV1 + "Affinity", Obj("Scheduling preferences and requirements of a pod.",
            Ref("nodeAffinity", CoreV1 + "NodeAffinity", "Rules about which nodes the pod may run on."),
            Ref("podAffinity", CoreV1 + "PodAffinity", "Rules to place the pod near other pods."),
            Ref("podAntiAffinity", CoreV1 + "PodAntiAffinity", "Rules to keep the pod away from other pods.")));
        r.Add(CoreV1 + "NodeAffinity", Obj("Node selection rules.",
            Ref("requiredDuringSchedulingIgnoredDuringExecution", CoreV1 + "NodeSelector", "Hard requirement checked at scheduling time."),
            List("preferredDuringSchedulingIgnoredDuringExecution", CoreV1 + "PreferredSchedulingTerm", "Weighted preferences.")));
        r.Add(CoreV1 + "NodeSelector", Obj("A set of node selector terms, ORed together.",
            Req(List("nodeSelectorTerms", CoreV1 + "NodeSelectorTerm", "The terms; a node matching any of them qualifies."))));
        r.Add(CoreV1 + "NodeSelectorTerm", Obj("Requirements on node labels or fields, ANDed together.",
            List("matchExpressions", CoreV1 + "NodeSelectorRequirement", "Requirements on node labels."),
            List("matchFields", CoreV1 + "NodeSelectorRequirement", "Requirements on node fields.")));
        r.Add(CoreV1 + "NodeSelectorRequirement", Obj("One requirement on a node label or field.",
            Req(Str("key", "Label key or field name.")),
            Req(Enum("operator", "How the key relates to the values.", "DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn")),
            StrList("values", "Values to compare with.")));
        r.Add(CoreV1 + "PreferredSchedulingTerm", Obj("A weighted node preference.",
            Req(Int("weight", "Weight from 1 to 100.")),
            Req(Ref("preference", CoreV1 + "NodeSelectorTerm", "The preferred nodes."))));
        r.Add(CoreV1 + "PodAffinity", Obj("Rules to co-locate pods.",
            List("requiredDuringSchedulingIgnoredDuringExecution", CoreV1 + "PodAffinityTerm", "Hard requirements."),
            List("preferredDuringSchedulingIgnoredDuringExecution", CoreV1 + "WeightedPodAffinityTerm", "Weighted preferences.")));
        r.Add(CoreV1 + "PodAntiAffinity", Obj("Rules to keep pods apart.",
            List("requiredDuringSchedulingIgnoredDuringExecution", CoreV1 + "PodAffinityTerm", "Hard requirements."),
            List("preferredDuringSchedulingIgnoredDuringExecution", CoreV1 + "WeightedPodAffinityTerm", "Weighted preferences.")));
        r.Add(CoreV1 + "PodAffinityTerm", Obj("Pods matching a selector, within a topology domain.",
            Ref("labelSelector", Meta + "LabelSelector", "Which pods the term refers to."),
            StrList("namespaces", "Namespaces searched for those pods; defaults to the pod's own."),
            Req(Str("topologyKey", "Node label defining the domain within which pods count as together.")),
            Ref("namespaceSelector", Meta + "LabelSelector", "Namespaces searched, by label; combined with the namespaces list."),
            StrList("matchLabelKeys", "Label keys whose values, taken from the incoming pod, are added to labelSelector as In terms."),
            StrList("mismatchLabelKeys", "Label keys whose values, taken from the incoming pod, are added to labelSelector as NotIn terms.")));
        r.Add(CoreV1 + "WeightedPodAffinityTerm", Obj("A weighted pod affinity term.",
            Req(Int("weight", "Weight from 1 to 100.")),
            Req(Ref("podAffinityTerm", CoreV1 + "PodAffinityTerm", "The term."))));

        r.Add(CoreV1 + "PodStatus", Obj("Observed state of a pod.",
            Enum("phase", "Coarse summary of where the pod is in its lifecycle.", "Failed", "Pending", "Running", "Succeeded", "Unknown"),
            List("conditions", CoreV1 + "PodCondition", "Current service state of the pod.", "type"),
            Str("message", "Human-readable reason for the pod's condition."),
            Str("reason", "Brief CamelCase reason, such as Evicted."),
            Str("hostIP", "IP address of the node the pod runs on."),
            List("hostIPs", CoreV1 + "HostIP", "IP addresses of the node.", "ip"),
            Str("podIP", "IP address allocated to the pod."),
            List("podIPs", CoreV1 + "PodIP", "IP addresses allocated to the pod.", "ip"),
            Timestamp("startTime", "When the kubelet acknowledged the pod."),
            List("initContainerStatuses", CoreV1 + "ContainerStatus", "Status of each init container."),
            List("containerStatuses", CoreV1 + "ContainerStatus", "Status of each container."),
            List("ephemeralContainerStatuses", CoreV1 + "ContainerStatus", "Status of each ephemeral container."),
            Enum("qosClass", "Quality of service class derived from resource requests and limits.", "BestEffort", "Burstable", "Guaranteed"),
            Str("nominatedNodeName", "Node the scheduler intends to place the pod on after preemption."),
            Str("resize", "Progress of an in-place resize of the pod's resources."),
            List("resourceClaimStatuses", CoreV1 + "PodResourceClaimStatus", "Names of the ResourceClaims generated for the pod.", "name", "merge,retainKeys")));
        r.Add(CoreV1 + "PodResourceClaimStatus", Obj("The ResourceClaim generated for one entry of spec.resourceClaims.",
            Req(Str("name", "Name of the entry in spec.resourceClaims.")),
            Str("resourceClaimName", "Name of the generated ResourceClaim; empty when none was needed.")));
        r.Add(CoreV1 + "PodCondition", Obj("One condition of a pod.",
            Req(Str("type", "Condition type, such as Ready, PodScheduled or ContainersReady.")),
            Req(Enum("status", "Whether the condition holds.", "False", "True", "Unknown")),
            Timestamp("lastProbeTime", "When the condition was last checked."),
            Timestamp("lastTransitionTime", "When the status last changed."),
            Str("reason", "Brief CamelCase reason for the last transition."),
            Str("message", "Human-readable details about the last transition.")));
        r.Add(CoreV1 + "PodIP", Obj("An IP address of a pod.", Req(Str("ip", "The address."))));
        r.Add(CoreV1 + "HostIP", Obj("An IP address of a node.", Req(Str("ip", "The address."))));
        r.Add(CoreV1 + "ContainerStatus", Obj("Observed state of one container.",
            Req(Str("name", "Name of the container.")),
            Ref("state", CoreV1 + "ContainerState", "Current state."),
            Ref("lastState", CoreV1 + "ContainerState", "State before the last termination."),
            Req(Bool("ready", "Whether the container passes its readiness probe.")),
            Req(Int("restartCount", "How many times the container has been restarted.")),
            Req(Str("image", "Image the container runs.")),
            Req(Str("imageID", "Resolved identifier of the image.")),
            Str("containerID", "Runtime identifier of the container, as <type>://<id>."),
            Bool("started", "Whether the container passed its startup probe."),
            RefMap("allocatedResources", Quantity, "Resources the node has allocated to the container."),
            Ref("resources", CoreV1 + "ResourceRequirements", "Resources actually configured for the running container."),
            List("volumeMounts", CoreV1 + "VolumeMountStatus", "Mounts as they are in effect.", "mountPath"),
            Ref("user", CoreV1 + "ContainerUser", "Identity the container's first process runs as."),
            List("allocatedResourcesStatus", CoreV1 + "ResourceStatus", "Health of the devices allocated to the container.", "name")));
        r.Add(CoreV1 + "VolumeMountStatus", Obj("A mount as it is in effect.",
            Req(Str("name", "Name of the volume mount.")),
            Req(Str("mountPath", "Path inside the container.")),
            Bool("readOnly", "Whether the mount is read-only."),
            Str("recursiveReadOnly", "Whether sub-mounts are read-only too: Disabled or Enabled.")));
        r.Add(CoreV1 + "ContainerUser", Obj("Identity of a container's first process.",
            Ref("linux", CoreV1 + "LinuxContainerUser", "User and groups on Linux.")));
        r.Add(CoreV1 + "LinuxContainerUser", Obj("Linux user and groups of a process.",
            Req(Long("uid", "User ID.")),
            Req(Long("gid", "Primary group ID.")),
            IntList("supplementalGroups", "Extra group IDs.", "int64")));
        r.Add(CoreV1 + "ResourceStatus", Obj("Health of the devices behind one resource.",
            Req(Str("name", "Resource name, such as a device plugin resource or claim:<name>/<request>.")),
            List("resources", CoreV1 + "ResourceHealth", "Health of each device.", "resourceID")));
        r.Add(CoreV1 + "ResourceHealth", Obj("Health of one device.",
            Req(Str("resourceID", "Identifier of the device.")),
            Enum("health", "Health of the device.", "Healthy", "Unhealthy", "Unknown")));
        r.Add(CoreV1 + "ContainerState", Obj("State of a container; exactly one field is set.",
            Ref("waiting", CoreV1 + "ContainerStateWaiting", "The container has not started yet."),
            Ref("running", CoreV1 + "ContainerStateRunning", "The container is running."),
            Ref("terminated", CoreV1 + "ContainerStateTerminated", "The container has exited.")));
        r.Add(CoreV1 + "ContainerStateWaiting", Obj("A container that is waiting to start.",
            Str("reason", "Why it is waiting, such as ContainerCreating or ImagePullBackOff."),
            Str("message", "Details about the wait.")));
        r.Add(CoreV1 + "ContainerStateRunning", Obj("A running container.",
            Timestamp("startedAt", "When the container last started.")));
        r.Add(CoreV1 + "ContainerStateTerminated", Obj("A container that has exited.",
            Req(Int("exitCode", "Exit status of the process.")),
            Int("signal", "Signal that ended the process, if any."),
            Str("reason", "Brief reason, such as Completed or Error."),
            Str("message", "Details about the termination."),
            Timestamp("startedAt", "When the container started."),
            Timestamp("finishedAt", "When the container exited."),
            Str("containerID", "Runtime identifier of the container.")));
    }

    /// <summary>The fields of Container; EphemeralContainer has the same ones plus targetContainerName.</summary>
    private static Field[] ContainerFields() =>
    [
        Req(Str("name", "Name of the container, unique within the pod.")),
        Str("image", "Container image reference."),
        StrList("command", "Entrypoint array, replacing the image's ENTRYPOINT; not run in a shell."),
        StrList("args", "Arguments to the entrypoint, replacing the image's CMD."),
        Str("workingDir", "Working directory of the process; defaults to the image's."),
        List("ports", CoreV1 + "ContainerPort", "Ports the container exposes; informational, but used by services that refer to them by name.",
            "containerPort", "merge", "containerPort", "protocol"),
        List("envFrom", CoreV1 + "EnvFromSource", "Sources whose keys become environment variables."),
        List("env", CoreV1 + "EnvVar", "Environment variables set in the container.", "name"),
        Ref("resources", CoreV1 + "ResourceRequirements", "Compute resources requested by and allowed to the container."),
        List("volumeMounts", CoreV1 + "VolumeMount", "Pod volumes mounted into the container's file system.", "mountPath"),
        List("volumeDevices", CoreV1 + "VolumeDevice", "Raw block devices from pod volumes exposed inside the container.", "devicePath"),
        List("resizePolicy", CoreV1 + "ContainerResizePolicy", "Whether resizing each resource in place needs a container restart."),
        Ref("livenessProbe", CoreV1 + "Probe", "Periodic check; the container is restarted when it fails."),
        Ref("readinessProbe", CoreV1 + "Probe", "Periodic check; the pod is removed from service endpoints while it fails."),
        Ref("startupProbe", CoreV1 + "Probe", "Check that must pass before liveness and readiness probes begin."),
        Ref("lifecycle", CoreV1 + "Lifecycle", "Actions run right after the container starts and right before it stops."),
        Str("terminationMessagePath", "File whose contents become the container's termination message."),
        Enum("terminationMessagePolicy", "Where the termination message is read from.", "FallbackToLogsOnError", "File"),
        Enum("imagePullPolicy", "When the image is pulled.", "Always", "IfNotPresent", "Never"),
        Ref("securityContext", CoreV1 + "SecurityContext", "Security settings for this container, overriding the pod's."),
        Bool("stdin", "Allocate a buffer for stdin so that clients can attach to it."),
        Bool("stdinOnce", "Close stdin after the first attached client disconnects."),
        Bool("tty", "Allocate a terminal; requires stdin."),
        Enum("restartPolicy", "For init containers only: Always turns it into a sidecar that keeps running.", "Always"),
    ];
}
