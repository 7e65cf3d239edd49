using System.Text.Json.Nodes;
using Orchestrator.Api.Protobuf;

namespace Orchestrator.Tests.Api.Protobuf;

/// <summary>
/// Hand-built bodies for shapes kubectl's create commands never produce, asserted on the raw decoder output (no
/// normalisation) so that kept-vs-dropped zero values are checked exactly.
/// </summary>
public sealed class SchemaDecoderTests
{
    private static JsonObject Decode(string apiVersion, string kind, ProtoTestWriter raw) =>
        KubernetesProtobuf.Decode(ProtoTestWriter.Envelope(apiVersion, kind, raw.ToArray()));

    private static JsonObject DeploymentWithPodSpec(Action<ProtoTestWriter> podSpec) =>
        Decode("apps/v1", "Deployment", new ProtoTestWriter()
            .Message(2, spec => spec.Message(3, template => template.Message(2, podSpec))));

    private static JsonNode PodSpecOf(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!;

    [Fact]
    public void PointerZerosAreKeptAndPlainZerosDropped()
    {
        var d = Decode("apps/v1", "Deployment", new ProtoTestWriter()
            .Message(2, spec => spec
                .Varint(1, 0L)                  // replicas *int32 = 0: scale to zero, must survive
                .Varint(5, 0L)                  // minReadySeconds int32 omitempty = 0: dropped
                .Varint(7, 0L)                  // paused bool omitempty = false: dropped
                .Message(3, template => template.Message(2, pod => pod
                    .Varint(21, 0L)             // automountServiceAccountToken *bool = false: kept
                    .Varint(11, 0L)             // hostNetwork bool = false: dropped
                    .String(3, "")              // restartPolicy "" : dropped
                    .Message(2, c => c.String(1, "").Message(6, p => p.Varint(3, 0L)))))));

        var spec = d["spec"]!.AsObject();
        Assert.Equal(0, spec["replicas"]!.GetValue<int>());
        Assert.False(spec.ContainsKey("minReadySeconds"));
        Assert.False(spec.ContainsKey("paused"));
        var pod = spec["template"]!["spec"]!.AsObject();
        Assert.False(pod["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.False(pod.ContainsKey("hostNetwork"));
        Assert.False(pod.ContainsKey("restartPolicy"));
        // Container.name and ContainerPort.containerPort have no omitempty: Go's JSON prints them even when zero.
        var container = pod["containers"]![0]!.AsObject();
        Assert.Equal("", container["name"]!.GetValue<string>());
        Assert.Equal(0, container["ports"]![0]!["containerPort"]!.GetValue<int>());
    }

    [Fact]
    public void VolumesInlineTheirSourceAndKeepEmptyPointerObjects()
    {
        var d = DeploymentWithPodSpec(pod => pod
            .Message(1, v => v.String(1, "scratch").Message(2, src => src.Message(2, _ => { })))
            .Message(1, v => v.String(1, "cfg").Message(2, src => src.Message(19, cm => cm
                .Message(1, r => r.String(1, "app-config"))
                .Varint(3, 420L)
                .Message(2, item => item.String(1, "k").String(2, "p")))))
            .Message(1, v => v.String(1, "host").Message(2, src => src.Message(1, hp => hp.String(1, "/data")))));

        var volumes = PodSpecOf(d)["volumes"]!;
        Assert.Equal("""{"name":"scratch","emptyDir":{}}""", volumes[0]!.ToJsonString());
        Assert.Equal("""{"name":"cfg","configMap":{"name":"app-config","defaultMode":420,"items":[{"key":"k","path":"p"}]}}""",
            volumes[1]!.ToJsonString());
        Assert.Equal("""{"name":"host","hostPath":{"path":"/data"}}""", volumes[2]!.ToJsonString());
    }

    [Fact]
    public void ProbesInlineTheirHandlerAndIntOrStringBecomesStringOrNumber()
    {
        var d = DeploymentWithPodSpec(pod => pod.Message(2, c => c
            .String(1, "web")
            .Message(10, probe => probe
                .Message(1, h => h.Message(2, get => get
                    .String(1, "/healthz")
                    .Message(2, port => port.Varint(1, 1L).String(3, "http"))))
                .Varint(2, 5L)
                .Varint(4, 10L))
            .Message(11, probe => probe
                .Message(1, h => h.Message(3, tcp => tcp.Message(1, port => port.Varint(1, 0L).Varint(2, 8080L)))))));

        var container = PodSpecOf(d)["containers"]![0]!;
        Assert.Equal("""{"httpGet":{"path":"/healthz","port":"http"},"initialDelaySeconds":5,"periodSeconds":10}""",
            container["livenessProbe"]!.ToJsonString());
        Assert.Equal("""{"tcpSocket":{"port":8080}}""", container["readinessProbe"]!.ToJsonString());
    }

    [Fact]
    public void EnvResourcesAndSecurityContext()
    {
        var d = DeploymentWithPodSpec(pod => pod
            .Message(14, psc => psc                      // supplementalGroups (4) is repeated int64:
                .Varint(4, 1000UL).Varint(4, 2000UL)     // unpacked, as gogo proto2 writes it,
                .Bytes(4, [0xB8, 0x17, 0x05]))           // and packed (3000, 5), which protobuf readers must accept
            .Message(2, c => c
                .String(1, "app")
                .Message(7, env => env.String(1, "A").String(2, "1"))
                .Message(7, env => env.String(1, "POD").Message(3, from => from
                    .Message(1, f => f.String(1, "v1").String(2, "metadata.name"))))
                .Message(7, env => env.String(1, "PW").Message(3, from => from
                    .Message(4, s => s.Message(1, r => r.String(1, "db")).String(2, "password"))))
                .Message(8, res => res
                    .Message(1, e => e.String(1, "cpu").Message(2, q => q.String(1, "500m")))
                    .Message(2, e => e.String(1, "memory").Message(2, q => q.String(1, "64Mi"))))
                .Message(15, sc => sc.Varint(4, unchecked((ulong)-5L)))));  // runAsUser *int64 = -5

        var pod = PodSpecOf(d);
        var container = pod["containers"]![0]!;
        Assert.Equal("""[{"name":"A","value":"1"},{"name":"POD","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}},{"name":"PW","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}]""",
            container["env"]!.ToJsonString());
        Assert.Equal("""{"limits":{"cpu":"500m"},"requests":{"memory":"64Mi"}}""", container["resources"]!.ToJsonString());
        Assert.Equal(-5L, container["securityContext"]!["runAsUser"]!.GetValue<long>());
        Assert.Equal("[1000,2000,3000,5]", pod["securityContext"]!["supplementalGroups"]!.ToJsonString());
    }

    [Fact]
    public void NegativeInt32SurvivesTenByteVarint()
    {
        var d = DeploymentWithPodSpec(pod => pod.Varint(25, unchecked((ulong)-7L))); // priority *int32

        Assert.Equal(-7, PodSpecOf(d)["priority"]!.GetValue<int>());
    }

    [Fact]
    public void TimestampsAreRfc3339AndZeroTimeIsOmitted()
    {
        var ns = Decode("v1", "Namespace", new ProtoTestWriter().Message(1, m => m
            .String(1, "n")
            .Message(8, t => t.Varint(1, 1700000000L).Varint(2, 123L))
            .Message(9, _ => { })));

        Assert.Equal("""{"name":"n","creationTimestamp":"2023-11-14T22:13:20Z"}""", ns["metadata"]!.ToJsonString());
    }

    [Fact]
    public void UnknownFieldsOfEveryWireTypeAreSkipped()
    {
        var cm = Decode("v1", "ConfigMap", new ProtoTestWriter()
            .Varint(900, 1UL)
            .Fixed32(901, 7)
            .String(902, "future")
            .Message(1, m => m.String(1, "c").Fixed32(99, 1).Message(17, mf => mf.String(1, "kubectl")))  // managedFields ignored
            .MapEntry(2, "a", "1")
            .MapEntry(2, "b", "")
            .Varint(4, 1UL));

        Assert.Equal("""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c"},"data":{"a":"1","b":""},"immutable":true}""",
            cm.ToJsonString());
    }

    [Fact]
    public void RepeatedSingularMessageMerges()
    {
        // Protobuf merges a singular message that appears twice; Go's unmarshal does the same.
        var cm = Decode("v1", "ConfigMap", new ProtoTestWriter()
            .Message(1, m => m.String(1, "c"))
            .Message(1, m => m.String(3, "ns").MapEntry(11, "a", "b")));

        Assert.Equal("""{"name":"c","namespace":"ns","labels":{"a":"b"}}""", cm["metadata"]!.ToJsonString());
    }

    [Fact]
    public void DeploymentStrategyRollingUpdate()
    {
        var d = Decode("apps/v1", "Deployment", new ProtoTestWriter().Message(2, spec => spec
            .Message(4, s => s.String(1, "RollingUpdate").Message(2, ru => ru
                .Message(1, u => u.Varint(1, 0L).Varint(2, 0L))
                .Message(2, u => u.Varint(1, 1L).String(3, "25%"))))));

        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"25%"}}""",
            d["spec"]!["strategy"]!.ToJsonString());
    }

    [Fact]
    public void DeleteOptionsDecodeUnderAnyGroupVersion()
    {
        var opts = Decode("apps/v1", "DeleteOptions", new ProtoTestWriter()
            .String(4, "Foreground")
            .Varint(3, 0UL)
            .Message(2, p => p.String(2, "42")));

        Assert.Equal("""{"kind":"DeleteOptions","apiVersion":"apps/v1","propagationPolicy":"Foreground","orphanDependents":false,"preconditions":{"resourceVersion":"42"}}""",
            opts.ToJsonString());
    }

    [Theory]
    [InlineData("application/vnd.kubernetes.protobuf", true)]
    [InlineData("application/vnd.kubernetes.protobuf; charset=utf-8", true)]
    [InlineData("Application/VND.Kubernetes.Protobuf", true)]
    [InlineData("application/vnd.kubernetes.protobuf;stream=watch", true)]
    [InlineData("application/json", false)]
    [InlineData("application/vnd.kubernetes.protobuf+json", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsProtobufRecognisesTheMediaType(string? mediaType, bool expected)
    {
        Assert.Equal(expected, KubernetesProtobuf.IsProtobuf(mediaType));
    }

    [Fact]
    public void DefaultCatalogResolvesEveryKind()
    {
        // Building the catalog validates every message reference; this also pins the list of decodable kinds.
        var kinds = SchemaCatalog.Default.Kinds.Select(k => $"{k.ApiVersion} {k.Kind}").Order();

        Assert.Equal(
            [
                "* DeleteOptions", "apps/v1 Deployment", "authentication.k8s.io/v1 TokenRequest",
                "autoscaling/v1 HorizontalPodAutoscaler", "batch/v1 CronJob", "batch/v1 Job",
                "networking.k8s.io/v1 Ingress", "policy/v1 Eviction", "policy/v1 PodDisruptionBudget",
                "rbac.authorization.k8s.io/v1 ClusterRole", "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
                "rbac.authorization.k8s.io/v1 Role", "rbac.authorization.k8s.io/v1 RoleBinding",
                "scheduling.k8s.io/v1 PriorityClass", "v1 ConfigMap", "v1 Namespace", "v1 ResourceQuota", "v1 Secret",
                "v1 Service", "v1 ServiceAccount",
            ],
            kinds);
    }
}
