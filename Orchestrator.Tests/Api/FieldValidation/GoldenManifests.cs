using System.Collections.Frozen;

namespace Orchestrator.Tests.Api.FieldValidation;

/// <summary>Realistic, valid manifests (written for these tests) keyed by a short name; see <see cref="GoldenManifestTests"/>.</summary>
internal static class GoldenManifests
{
    public static FrozenDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        ["deployment-kubectl-create"] = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              creationTimestamp: null
              labels:
                app: d
              name: d
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: d
              strategy: {}
              template:
                metadata:
                  creationTimestamp: null
                  labels:
                    app: d
                spec:
                  containers:
                  - image: x
                    name: x
                    resources: {}
            status: {}
            """,

        ["deployment-full"] = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              labels: {app: web, tier: frontend}
              annotations:
                deployment.kubernetes.io/revision: "3"
                kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"apps/v1"}'
              finalizers: [example.com/cleanup]
            spec:
              replicas: 3
              minReadySeconds: 5
              revisionHistoryLimit: 4
              progressDeadlineSeconds: 300
              paused: false
              selector:
                matchLabels: {app: web}
                matchExpressions:
                - {key: tier, operator: In, values: [frontend]}
              strategy:
                type: RollingUpdate
                rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
              template:
                metadata:
                  labels: {app: web, tier: frontend}
                  annotations: {prometheus.io/scrape: "true"}
                spec:
                  serviceAccountName: web
                  automountServiceAccountToken: false
                  terminationGracePeriodSeconds: 45
                  dnsPolicy: ClusterFirst
                  dnsConfig:
                    nameservers: [1.1.1.1]
                    searches: [shop.svc.cluster.local]
                    options:
                    - {name: ndots, value: "2"}
                    - name: edns0
                  enableServiceLinks: false
                  priorityClassName: high
                  nodeSelector: {kubernetes.io/os: linux}
                  hostAliases:
                  - ip: 10.0.0.9
                    hostnames: [db.local]
                  imagePullSecrets:
                  - name: regcred
                  securityContext:
                    runAsUser: 1000
                    runAsGroup: 3000
                    runAsNonRoot: true
                    fsGroup: 2000
                    fsGroupChangePolicy: OnRootMismatch
                    supplementalGroups: [4000]
                    supplementalGroupsPolicy: Merge
                    seccompProfile: {type: RuntimeDefault}
                    appArmorProfile: {type: RuntimeDefault}
                    seLinuxOptions: {level: "s0:c123,c456"}
                    sysctls:
                    - {name: net.ipv4.ip_local_port_range, value: "1024 65535"}
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms:
                        - matchExpressions:
                          - {key: topology.kubernetes.io/zone, operator: In, values: [eu-1a, eu-1b]}
                          matchFields:
                          - {key: metadata.name, operator: NotIn, values: [node-9]}
                      preferredDuringSchedulingIgnoredDuringExecution:
                      - weight: 10
                        preference:
                          matchExpressions:
                          - {key: disktype, operator: In, values: [ssd]}
                    podAffinity:
                      preferredDuringSchedulingIgnoredDuringExecution:
                      - weight: 50
                        podAffinityTerm:
                          labelSelector:
                            matchLabels: {app: cache}
                          namespaces: [shop]
                          topologyKey: kubernetes.io/hostname
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                      - labelSelector:
                          matchExpressions:
                          - {key: app, operator: In, values: [web]}
                        namespaceSelector: {}
                        matchLabelKeys: [pod-template-hash]
                        topologyKey: kubernetes.io/hostname
                  tolerations:
                  - {key: dedicated, operator: Equal, value: web, effect: NoSchedule}
                  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
                  topologySpreadConstraints:
                  - maxSkew: 1
                    topologyKey: topology.kubernetes.io/zone
                    whenUnsatisfiable: ScheduleAnyway
                    labelSelector:
                      matchLabels: {app: web}
                    matchLabelKeys: [pod-template-hash]
                    minDomains: 2
                    nodeAffinityPolicy: Honor
                    nodeTaintsPolicy: Ignore
                  initContainers:
                  - name: migrate
                    image: web:1.2
                    command: [/bin/migrate]
                    args: [--up]
                    envFrom:
                    - configMapRef: {name: web-config}
                    - secretRef: {name: web-secret, optional: true}
                      prefix: SECRET_
                  - name: log-shipper
                    image: shipper:2
                    restartPolicy: Always
                  containers:
                  - name: web
                    image: registry.example.com/web:1.2
                    imagePullPolicy: IfNotPresent
                    workingDir: /srv
                    ports:
                    - {name: http, containerPort: 8080, protocol: TCP}
                    - {name: metrics, containerPort: 9090, hostPort: 19090, hostIP: 0.0.0.0}
                    env:
                    - {name: MODE, value: production}
                    - name: POD_NAME
                      valueFrom:
                        fieldRef: {apiVersion: v1, fieldPath: metadata.name}
                    - name: MEM_LIMIT
                      valueFrom:
                        resourceFieldRef: {containerName: web, resource: limits.memory, divisor: 1Mi}
                    - name: DB_PASSWORD
                      valueFrom:
                        secretKeyRef: {name: db, key: password, optional: false}
                    - name: FEATURE
                      valueFrom:
                        configMapKeyRef: {name: flags, key: feature}
                    resources:
                      requests: {cpu: 250m, memory: 128Mi}
                      limits: {cpu: "1", memory: 512Mi, ephemeral-storage: 1Gi}
                    resizePolicy:
                    - {resourceName: cpu, restartPolicy: NotRequired}
                    - {resourceName: memory, restartPolicy: RestartContainer}
                    livenessProbe:
                      httpGet:
                        path: /healthz
                        port: http
                        scheme: HTTP
                        httpHeaders:
                        - {name: X-Probe, value: liveness}
                      initialDelaySeconds: 10
                      periodSeconds: 10
                      timeoutSeconds: 2
                      failureThreshold: 3
                      successThreshold: 1
                      terminationGracePeriodSeconds: 20
                    readinessProbe:
                      tcpSocket: {port: 8080}
                      periodSeconds: 5
                    startupProbe:
                      grpc: {port: 9000, service: health}
                      failureThreshold: 30
                    lifecycle:
                      postStart:
                        exec:
                          command: [sh, -c, echo started]
                      preStop:
                        sleep: {seconds: 5}
                    securityContext:
                      allowPrivilegeEscalation: false
                      readOnlyRootFilesystem: true
                      privileged: false
                      runAsNonRoot: true
                      runAsUser: 1000
                      capabilities:
                        drop: [ALL]
                        add: [NET_BIND_SERVICE]
                      seccompProfile: {type: Localhost, localhostProfile: profiles/web.json}
                      appArmorProfile: {type: Localhost, localhostProfile: k8s-web}
                      seLinuxOptions: {user: system_u, role: system_r, type: spc_t, level: s0}
                      procMount: Default
                    volumeMounts:
                    - {name: cache, mountPath: /cache}
                    - {name: config, mountPath: /etc/web, readOnly: true, recursiveReadOnly: IfPossible}
                    - {name: tls, mountPath: /etc/tls, subPath: tls.crt, mountPropagation: None}
                    - {name: host-logs, mountPath: /var/log/host, subPathExpr: $(POD_NAME)}
                    volumeDevices:
                    - {name: raw, devicePath: /dev/xvda}
                    terminationMessagePath: /dev/termination-log
                    terminationMessagePolicy: FallbackToLogsOnError
                    stdin: false
                    tty: false
                  volumes:
                  - name: cache
                    emptyDir: {medium: Memory, sizeLimit: 64Mi}
                  - name: host-logs
                    hostPath: {path: /var/log, type: Directory}
                  - name: config
                    configMap:
                      name: web-config
                      defaultMode: 420
                      optional: true
                      items:
                      - {key: app.yaml, path: app.yaml, mode: 256}
                  - name: tls
                    secret:
                      secretName: web-tls
                      items:
                      - {key: tls.crt, path: tls.crt}
                  - name: podinfo
                    downwardAPI:
                      items:
                      - path: labels
                        fieldRef: {fieldPath: metadata.labels}
                      - path: cpu_limit
                        resourceFieldRef: {containerName: web, resource: limits.cpu, divisor: 1m}
                  - name: all-in-one
                    projected:
                      defaultMode: 420
                      sources:
                      - secret:
                          name: mysecret
                          items:
                          - {key: username, path: my-group/my-username}
                      - configMap:
                          name: myconfigmap
                          optional: true
                      - downwardAPI:
                          items:
                          - path: labels
                            fieldRef: {fieldPath: metadata.labels}
                      - serviceAccountToken: {audience: api, expirationSeconds: 3600, path: token}
                      - clusterTrustBundle:
                          signerName: example.com/signer
                          labelSelector:
                            matchLabels: {trust: "yes"}
                          path: ca.pem
                          optional: true
                  - name: data
                    persistentVolumeClaim: {claimName: web-data, readOnly: false}
                  - name: raw
                    ephemeral:
                      volumeClaimTemplate:
                        metadata:
                          labels: {type: scratch}
                        spec:
                          accessModes: [ReadWriteOnce]
                          volumeMode: Block
                          storageClassName: fast
                          resources:
                            requests: {storage: 1Gi}
                  - name: nfs
                    nfs: {server: nfs.example.com, path: /exports, readOnly: true}
                  - name: csi
                    csi:
                      driver: secrets-store.csi.k8s.io
                      readOnly: true
                      volumeAttributes: {secretProviderClass: vault}
                      nodePublishSecretRef: {name: csi-creds}
                  - name: models
                    image: {reference: "quay.io/crio/artifact:v1", pullPolicy: IfNotPresent}
                  - name: iscsi
                    iscsi:
                      targetPortal: 10.0.2.15:3260
                      portals: ['10.0.2.16:3260']
                      iqn: iqn.2001-04.com.example:storage.kube.sys1.xyz
                      lun: 0
                      fsType: ext4
                      readOnly: true
                      chapAuthDiscovery: true
                      chapAuthSession: true
                      secretRef: {name: chap-secret}
                  - name: repo
                    gitRepo: {repository: "https://example.com/r.git", revision: main, directory: "."}
                  - name: ebs
                    awsElasticBlockStore: {volumeID: vol-1, fsType: ext4, partition: 1, readOnly: true}
                  - name: gce
                    gcePersistentDisk: {pdName: disk-1, fsType: ext4}
                  - name: azd
                    azureDisk: {diskName: d, diskURI: "https://x/d.vhd", cachingMode: ReadOnly, kind: Managed}
                  - name: azf
                    azureFile: {secretName: azs, shareName: share, readOnly: false}
                  - name: ceph
                    cephfs: {monitors: [10.16.154.78:6789], path: /, user: admin, secretRef: {name: ceph-secret}}
                  - name: rbd
                    rbd: {monitors: [10.16.154.78:6789], image: foo, pool: kube, user: admin, keyring: /etc/ceph/keyring, fsType: ext4}
                  - name: fc
                    fc: {targetWWNs: [500a0982991b8dc5], lun: 2, fsType: ext4, readOnly: true}
                  - name: flex
                    flexVolume: {driver: example/lvm, fsType: ext4, options: {volumeID: vol1, size: 1000m}}
                  - name: cinder
                    cinder: {volumeID: abc, fsType: ext4}
                  - name: vsphere
                    vsphereVolume: {volumePath: "[DS1] volumes/myDisk", fsType: ext4}
                  - name: portworx
                    portworxVolume: {volumeID: pxvol, fsType: ext4}
                  - name: gluster
                    glusterfs: {endpoints: glusterfs-cluster, path: kube_vol, readOnly: true}
                  - name: quobyte
                    quobyte: {registry: "registry:7861", volume: testVolume, readOnly: true, user: root, group: root, tenant: t}
                  - name: scaleio
                    scaleIO: {gateway: "https://localhost:443/api", system: scaleio, protectionDomain: pd01, storagePool: sp01, volumeName: vol-0, secretRef: {name: sio-secret}, fsType: xfs, sslEnabled: true, storageMode: ThinProvisioned}
                  - name: storageos
                    storageos: {volumeName: redis-vol01, volumeNamespace: default, fsType: ext4, secretRef: {name: storageos-secret}}
                  - name: flocker
                    flocker: {datasetName: my-flocker-vol}
                  - name: photon
                    photonPersistentDisk: {pdID: some-id, fsType: ext4}
            """,

        ["pod-init-and-ephemeral"] = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: debug-me
              namespace: default
              uid: 5f3c2d1e-1111-2222-3333-444455556666
              resourceVersion: "12345"
              generation: 1
              creationTimestamp: "2024-05-01T10:00:00Z"
              deletionTimestamp: "2024-05-01T11:00:00Z"
              deletionGracePeriodSeconds: 30
              selfLink: /api/v1/namespaces/default/pods/debug-me
              labels: {run: debug-me}
              ownerReferences:
              - apiVersion: apps/v1
                kind: ReplicaSet
                name: web-7d4b9c
                uid: 0a0a0a0a-0000-0000-0000-000000000001
                controller: true
                blockOwnerDeletion: true
              managedFields:
              - manager: kubectl-client-side-apply
                operation: Update
                apiVersion: v1
                time: "2024-05-01T10:00:00Z"
                fieldsType: FieldsV1
                fieldsV1:
                  f:metadata:
                    f:labels:
                      .: {}
                      f:run: {}
                  f:spec:
                    f:containers:
                      k:{"name":"app"}:
                        .: {}
                        f:image: {}
              - manager: kubelet
                operation: Update
                apiVersion: v1
                time: "2024-05-01T10:00:05Z"
                fieldsType: FieldsV1
                fieldsV1: {f:status: {f:phase: {}}}
                subresource: status
            spec:
              restartPolicy: Always
              hostname: debug-me
              subdomain: headless
              setHostnameAsFQDN: false
              shareProcessNamespace: true
              hostNetwork: false
              hostPID: false
              hostIPC: false
              hostUsers: false
              schedulerName: default-scheduler
              nodeName: node-1
              runtimeClassName: gvisor
              preemptionPolicy: PreemptLowerPriority
              priority: 1000
              activeDeadlineSeconds: 3600
              serviceAccount: default
              os: {name: linux}
              overhead: {cpu: 100m, memory: 20Mi}
              readinessGates:
              - conditionType: www.example.com/feature-1
              schedulingGates:
              - name: example.com/quota
              resourceClaims:
              - name: gpu
                resourceClaimTemplateName: gpu-template
              - name: shared
                resourceClaimName: shared-claim
              resources:
                requests: {cpu: "1", memory: 1Gi}
                limits: {cpu: "2", memory: 2Gi}
              initContainers:
              - name: init-myservice
                image: busybox:1.28
                command: ['sh', '-c', "until nslookup myservice; do echo waiting; sleep 2; done"]
                resources:
                  claims:
                  - name: gpu
                    request: big
              containers:
              - name: app
                image: app:1
                stdin: true
                stdinOnce: true
                tty: true
                lifecycle:
                  preStop:
                    httpGet: {path: /shutdown, port: 8080, host: localhost}
                  postStart:
                    tcpSocket: {port: 8080}
                livenessProbe:
                  exec:
                    command: [cat, /tmp/healthy]
                securityContext:
                  windowsOptions:
                    gmsaCredentialSpecName: spec
                    gmsaCredentialSpec: "{}"
                    runAsUserName: ContainerUser
                    hostProcess: false
              ephemeralContainers:
              - name: debugger-abcde
                image: busybox
                targetContainerName: app
                stdin: true
                tty: true
                terminationMessagePolicy: File
                resources: {}
            status:
              phase: Running
              qosClass: Burstable
              hostIP: 10.0.0.5
              hostIPs:
              - ip: 10.0.0.5
              podIP: 10.244.1.7
              podIPs:
              - ip: 10.244.1.7
              - ip: fd00::7
              startTime: "2024-05-01T10:00:01Z"
              nominatedNodeName: node-2
              message: ok
              reason: Fine
              resize: InProgress
              conditions:
              - type: Ready
                status: "True"
                lastProbeTime: null
                lastTransitionTime: "2024-05-01T10:00:10Z"
              - {type: PodScheduled, status: "True", reason: Scheduled, message: done}
              resourceClaimStatuses:
              - {name: gpu, resourceClaimName: debug-me-gpu-x7k2}
              initContainerStatuses:
              - name: init-myservice
                image: busybox:1.28
                imageID: docker.io/library/busybox@sha256:abc
                containerID: containerd://abc
                ready: true
                restartCount: 0
                started: false
                state:
                  terminated: {exitCode: 0, reason: Completed, startedAt: "2024-05-01T10:00:02Z", finishedAt: "2024-05-01T10:00:03Z", containerID: "containerd://abc", signal: 0, message: done}
              containerStatuses:
              - name: app
                image: app:1
                imageID: docker.io/library/app@sha256:def
                ready: true
                restartCount: 1
                started: true
                state:
                  running: {startedAt: "2024-05-01T10:00:04Z"}
                lastState:
                  waiting: {reason: CrashLoopBackOff, message: back-off}
                allocatedResources: {cpu: 500m}
                resources:
                  requests: {cpu: 500m}
                volumeMounts:
                - {name: kube-api-access, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true, recursiveReadOnly: Disabled}
                user:
                  linux: {uid: 1000, gid: 1000, supplementalGroups: [1000, 4000]}
                allocatedResourcesStatus:
                - name: claim:gpu/big
                  resources:
                  - {resourceID: gpu-0, health: Healthy}
              ephemeralContainerStatuses:
              - name: debugger-abcde
                image: busybox
                imageID: ""
                ready: false
                restartCount: 0
                state: {waiting: {reason: ContainerCreating}}
            """,

        ["service-loadbalancer"] = """
            apiVersion: v1
            kind: Service
            metadata:
              name: lb
              namespace: shop
              annotations: {service.beta.kubernetes.io/aws-load-balancer-type: nlb}
            spec:
              type: LoadBalancer
              selector: {app: web}
              ports:
              - name: https
                protocol: TCP
                appProtocol: kubernetes.io/h2c
                port: 443
                targetPort: https
                nodePort: 30443
              - name: dns
                protocol: UDP
                port: 53
                targetPort: 5353
              clusterIP: 10.96.0.20
              clusterIPs: [10.96.0.20, "fd00::20"]
              ipFamilies: [IPv4, IPv6]
              ipFamilyPolicy: PreferDualStack
              externalIPs: [198.51.100.32]
              loadBalancerIP: 203.0.113.10
              loadBalancerSourceRanges: [203.0.113.0/24]
              loadBalancerClass: example.com/internal-vip
              allocateLoadBalancerNodePorts: true
              externalTrafficPolicy: Local
              healthCheckNodePort: 32000
              internalTrafficPolicy: Cluster
              publishNotReadyAddresses: false
              sessionAffinity: ClientIP
              sessionAffinityConfig:
                clientIP: {timeoutSeconds: 10800}
              trafficDistribution: PreferClose
            status:
              loadBalancer:
                ingress:
                - ip: 203.0.113.10
                  ipMode: VIP
                  ports:
                  - {port: 443, protocol: TCP}
                  - {port: 53, protocol: UDP, error: NotReady}
                - hostname: lb.example.com
                  ipMode: Proxy
              conditions:
              - type: LoadBalancerReady
                status: "True"
                observedGeneration: 2
                lastTransitionTime: "2024-05-01T10:00:00Z"
                reason: Provisioned
                message: ready
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: external
            spec:
              type: ExternalName
              externalName: my.database.example.com
            """,

        ["job-pod-failure-policy"] = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: job-pod-failure-policy-example
            spec:
              completions: 12
              parallelism: 3
              completionMode: Indexed
              backoffLimit: 6
              backoffLimitPerIndex: 1
              maxFailedIndexes: 5
              activeDeadlineSeconds: 600
              ttlSecondsAfterFinished: 100
              suspend: false
              manualSelector: false
              podReplacementPolicy: Failed
              managedBy: kubernetes.io/job-controller
              successPolicy:
                rules:
                - succeededIndexes: 0,2-3
                  succeededCount: 1
              podFailurePolicy:
                rules:
                - action: FailJob
                  onExitCodes:
                    containerName: main
                    operator: In
                    values: [42]
                - action: Ignore
                  onPodConditions:
                  - type: DisruptionTarget
                    status: "True"
                - action: FailIndex
                  onExitCodes: {operator: NotIn, values: [0, 1]}
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: docker.io/library/bash:5
                    command: ["bash"]
                    args: [-c, "echo Hello world! && sleep 5 && exit 42"]
            status:
              active: 1
              succeeded: 2
              failed: 1
              terminating: 0
              ready: 1
              startTime: "2024-05-01T10:00:00Z"
              completionTime: null
              completedIndexes: 0,2
              failedIndexes: "1"
              uncountedTerminatedPods:
                succeeded: [a1]
                failed: [b2]
              conditions:
              - type: FailureTarget
                status: "True"
                lastProbeTime: "2024-05-01T10:01:00Z"
                lastTransitionTime: "2024-05-01T10:01:00Z"
                reason: PodFailurePolicy
                message: Container main failed with exit code 42
            """,

        ["cronjob"] = """
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              creationTimestamp: null
              name: hello
            spec:
              schedule: "*/5 * * * *"
              timeZone: Etc/UTC
              startingDeadlineSeconds: 200
              concurrencyPolicy: Forbid
              suspend: false
              successfulJobsHistoryLimit: 3
              failedJobsHistoryLimit: 1
              jobTemplate:
                metadata:
                  creationTimestamp: null
                  name: hello
                  labels: {app: hello}
                spec:
                  backoffLimit: 2
                  template:
                    metadata:
                      creationTimestamp: null
                    spec:
                      containers:
                      - name: hello
                        image: busybox:1.28
                        imagePullPolicy: IfNotPresent
                        command: [/bin/sh, -c, date; echo Hello from the Kubernetes cluster]
                        resources: {}
                      restartPolicy: OnFailure
            status:
              active:
              - {apiVersion: batch/v1, kind: Job, name: hello-28585, namespace: default, uid: u1, resourceVersion: "77"}
              lastScheduleTime: "2024-05-01T10:05:00Z"
              lastSuccessfulTime: "2024-05-01T10:00:10Z"
            """,

        ["daemonset"] = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: fluentd-elasticsearch
              namespace: kube-system
              labels: {k8s-app: fluentd-logging}
            spec:
              selector:
                matchLabels: {name: fluentd-elasticsearch}
              minReadySeconds: 10
              revisionHistoryLimit: 5
              updateStrategy:
                type: RollingUpdate
                rollingUpdate: {maxUnavailable: 1, maxSurge: 0}
              template:
                metadata:
                  labels: {name: fluentd-elasticsearch}
                spec:
                  tolerations:
                  - key: node-role.kubernetes.io/control-plane
                    operator: Exists
                    effect: NoSchedule
                  priorityClassName: system-node-critical
                  containers:
                  - name: fluentd-elasticsearch
                    image: quay.io/fluentd_elasticsearch/fluentd:v2.5.2
                    resources:
                      limits: {memory: 200Mi}
                      requests: {cpu: 100m, memory: 200Mi}
                    volumeMounts:
                    - {name: varlog, mountPath: /var/log}
                  terminationGracePeriodSeconds: 30
                  volumes:
                  - name: varlog
                    hostPath: {path: /var/log}
            status:
              currentNumberScheduled: 3
              numberMisscheduled: 0
              desiredNumberScheduled: 3
              numberReady: 3
              observedGeneration: 2
              updatedNumberScheduled: 3
              numberAvailable: 3
              numberUnavailable: 0
              collisionCount: 0
              conditions: []
            """,

        ["node-with-status"] = """
            apiVersion: v1
            kind: Node
            metadata:
              name: node-1
              labels:
                kubernetes.io/hostname: node-1
                node-role.kubernetes.io/worker: ""
              annotations:
                node.alpha.kubernetes.io/ttl: "0"
            spec:
              podCIDR: 10.244.1.0/24
              podCIDRs: [10.244.1.0/24, "fd00:1::/64"]
              providerID: aws:///eu-west-1a/i-0123
              unschedulable: true
              externalID: node-1
              taints:
              - key: node.kubernetes.io/unschedulable
                effect: NoSchedule
                timeAdded: "2024-05-01T10:00:00Z"
              - {key: dedicated, value: gpu, effect: NoExecute}
              configSource:
                configMap: {namespace: kube-system, name: kubelet-config, kubeletConfigKey: kubelet, uid: u, resourceVersion: "1"}
            status:
              capacity: {cpu: "4", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi, hugepages-2Mi: "0"}
              allocatable: {cpu: 3800m, memory: 15Gi, pods: "110"}
              phase: Running
              conditions:
              - type: Ready
                status: "True"
                lastHeartbeatTime: "2024-05-01T10:00:00Z"
                lastTransitionTime: "2024-04-01T10:00:00Z"
                reason: KubeletReady
                message: kubelet is posting ready status
              - {type: MemoryPressure, status: "False", reason: KubeletHasSufficientMemory}
              addresses:
              - {type: InternalIP, address: 10.0.0.5}
              - {type: Hostname, address: node-1}
              daemonEndpoints:
                kubeletEndpoint: {Port: 10250}
              nodeInfo:
                machineID: m
                systemUUID: s
                bootID: b
                kernelVersion: 6.1.0
                osImage: Debian GNU/Linux 12 (bookworm)
                containerRuntimeVersion: containerd://1.7.13
                kubeletVersion: v1.32.0
                kubeProxyVersion: v1.32.0
                operatingSystem: linux
                architecture: amd64
              images:
              - names: ["registry.k8s.io/pause@sha256:abc", "registry.k8s.io/pause:3.10"]
                sizeBytes: 320368
              volumesInUse: [kubernetes.io/csi/ebs.csi.aws.com^vol-1]
              volumesAttached:
              - {name: kubernetes.io/csi/ebs.csi.aws.com^vol-1, devicePath: ""}
              config:
                assigned:
                  configMap: {namespace: kube-system, name: kubelet-config, kubeletConfigKey: kubelet}
                active:
                  configMap: {namespace: kube-system, name: kubelet-config, kubeletConfigKey: kubelet}
                error: ""
              runtimeHandlers:
              - name: runc
                features: {recursiveReadOnlyMounts: true, userNamespaces: true}
              - name: ""
                features: {recursiveReadOnlyMounts: true, userNamespaces: false}
              features:
                supplementalGroupsPolicy: true
            """,

        ["endpointslice"] = """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: example-abc
              labels: {kubernetes.io/service-name: example, endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io}
            addressType: IPv4
            ports:
            - {name: http, protocol: TCP, port: 80, appProtocol: http}
            endpoints:
            - addresses: [10.1.2.3]
              conditions: {ready: true, serving: true, terminating: false}
              hostname: pod-1
              nodeName: node-1
              zone: us-west2-a
              targetRef: {kind: Pod, namespace: default, name: pod-1, uid: u1}
              hints:
                forZones:
                - name: us-west2-a
              deprecatedTopology: {kubernetes.io/hostname: node-1}
            """,

        ["lease"] = """
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata:
              name: node-1
              namespace: kube-node-lease
              ownerReferences:
              - {apiVersion: v1, kind: Node, name: node-1, uid: n1}
            spec:
              holderIdentity: node-1
              leaseDurationSeconds: 40
              acquireTime: "2024-05-01T10:00:00.000000Z"
              renewTime: "2024-05-01T10:05:00.123456Z"
              leaseTransitions: 2
              strategy: OldestEmulationVersion
              preferredHolder: node-2
            """,

        ["events"] = """
            apiVersion: v1
            kind: Event
            metadata:
              name: web-7d4b9c-x2x.17c0b2a1
              namespace: default
            involvedObject: {apiVersion: v1, kind: Pod, name: web-7d4b9c-x2x, namespace: default, uid: u, resourceVersion: "9", fieldPath: "spec.containers{web}"}
            reason: Pulled
            message: Successfully pulled image "web:1.2"
            source: {component: kubelet, host: node-1}
            firstTimestamp: "2024-05-01T10:00:00Z"
            lastTimestamp: "2024-05-01T10:02:00Z"
            count: 3
            type: Normal
            eventTime: null
            series: {count: 3, lastObservedTime: "2024-05-01T10:02:00.000000Z"}
            action: Pulling
            related: {kind: Node, name: node-1}
            reportingComponent: kubelet
            reportingInstance: node-1
            ---
            apiVersion: events.k8s.io/v1
            kind: Event
            metadata:
              name: web.17c0b2a2
              namespace: default
            eventTime: "2024-05-01T10:00:00.000000Z"
            series: {count: 2, lastObservedTime: "2024-05-01T10:01:00.000000Z"}
            reportingController: kubernetes.io/kubelet
            reportingInstance: node-1
            action: Started
            reason: Started
            regarding: {apiVersion: v1, kind: Pod, name: web, namespace: default}
            related: {kind: Node, name: node-1}
            note: Started container web
            type: Normal
            deprecatedSource: {component: kubelet, host: node-1}
            deprecatedFirstTimestamp: "2024-05-01T10:00:00Z"
            deprecatedLastTimestamp: "2024-05-01T10:01:00Z"
            deprecatedCount: 2
            """,

        ["resourcequota"] = """
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: pods-high
            spec:
              hard:
                cpu: "1000"
                memory: 200Gi
                pods: "10"
                requests.nvidia.com/gpu: 4
                count/deployments.apps: "5"
              scopes: [NotBestEffort]
              scopeSelector:
                matchExpressions:
                - operator: In
                  scopeName: PriorityClass
                  values: [high]
            status:
              hard: {cpu: "1000"}
              used: {cpu: "2"}
            """,

        ["limitrange"] = """
            apiVersion: v1
            kind: LimitRange
            metadata:
              name: cpu-resource-constraint
            spec:
              limits:
              - type: Container
                default: {cpu: 500m}
                defaultRequest: {cpu: 500m}
                max: {cpu: "1"}
                min: {cpu: 100m}
                maxLimitRequestRatio: {cpu: "2"}
              - type: PersistentVolumeClaim
                max: {storage: 2Gi}
                min: {storage: 1Gi}
            """,

        ["core-misc"] = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: game-demo}
            immutable: false
            data:
              player_initial_lives: "3"
              game.properties: |
                enemy.types=aliens,monsters
            binaryData: {blob: AAEC}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: tls}
            type: kubernetes.io/tls
            immutable: true
            data: {tls.crt: AAEC, tls.key: AAEC}
            stringData: {note: hello}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: build-robot}
            automountServiceAccountToken: false
            secrets:
            - {name: build-robot-token}
            imagePullSecrets:
            - name: regcred
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
              labels: {pod-security.kubernetes.io/enforce: restricted}
            spec:
              finalizers: [kubernetes]
            status:
              phase: Terminating
              conditions:
              - {type: NamespaceDeletionContentFailure, status: "False", lastTransitionTime: "2024-05-01T10:00:00Z", reason: ContentDeleted, message: ok}
            ---
            apiVersion: v1
            kind: Endpoints
            metadata: {name: my-service}
            subsets:
            - addresses:
              - ip: 192.0.2.42
                hostname: a
                nodeName: node-1
                targetRef: {kind: Pod, name: a, namespace: default}
              notReadyAddresses:
              - ip: 192.0.2.43
              ports:
              - {name: http, port: 9376, protocol: TCP, appProtocol: http}
            ---
            apiVersion: v1
            kind: ReplicationController
            metadata: {name: nginx}
            spec:
              replicas: 3
              minReadySeconds: 0
              selector: {app: nginx}
              template:
                metadata:
                  name: nginx
                  labels: {app: nginx}
                spec:
                  containers:
                  - name: nginx
                    image: nginx
                    ports:
                    - containerPort: 80
            status:
              replicas: 3
              fullyLabeledReplicas: 3
              readyReplicas: 3
              availableReplicas: 3
              observedGeneration: 1
              conditions:
              - {type: ReplicaFailure, status: "False", lastTransitionTime: "2024-05-01T10:00:00Z", reason: r, message: m}
            """,

        ["apps-misc"] = """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: frontend
              labels: {app: guestbook, tier: frontend}
            spec:
              replicas: 3
              minReadySeconds: 2
              selector:
                matchLabels: {tier: frontend}
              template:
                metadata:
                  labels: {tier: frontend}
                spec:
                  containers:
                  - name: php-redis
                    image: us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5
            status:
              replicas: 3
              fullyLabeledReplicas: 3
              readyReplicas: 3
              availableReplicas: 3
              observedGeneration: 1
              conditions:
              - {type: ReplicaFailure, status: "False", lastTransitionTime: "2024-05-01T10:00:00Z"}
            ---
            apiVersion: apps/v1
            kind: ControllerRevision
            metadata:
              name: fluentd-6b8d4b7c9
              labels: {controller-revision-hash: 6b8d4b7c9}
            revision: 2
            data:
              spec:
                template:
                  $patch: replace
                  metadata:
                    labels: {name: fluentd}
                  spec:
                    containers:
                    - name: fluentd
                      image: fluentd:v2
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: status-only}
            spec:
              selector:
                matchLabels: {app: s}
              template:
                metadata:
                  labels: {app: s}
                spec:
                  containers:
                  - {name: s, image: s}
            status:
              observedGeneration: 4
              replicas: 3
              updatedReplicas: 3
              readyReplicas: 3
              availableReplicas: 3
              unavailableReplicas: 0
              collisionCount: 1
              conditions:
              - type: Available
                status: "True"
                lastUpdateTime: "2024-05-01T10:00:00Z"
                lastTransitionTime: "2024-05-01T10:00:00Z"
                reason: MinimumReplicasAvailable
                message: Deployment has minimum availability.
            ---
            apiVersion: autoscaling/v1
            kind: Scale
            metadata: {name: web, namespace: shop}
            spec: {replicas: 5}
            status: {replicas: 3, selector: app=web}
            """,
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
