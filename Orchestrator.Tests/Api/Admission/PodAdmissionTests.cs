using System.Text.Json.Nodes;
using Orchestrator.Api.Admission;
using Orchestrator.Core.Model;
using static Orchestrator.Tests.Api.Admission.AdmissionTestKit;

namespace Orchestrator.Tests.Api.Admission;

public class PodAdmissionTests
{
    private static readonly ResourceKind PodKind = Kind("Pod");
    private readonly PodAdmission _step = new();

    private static JsonObject Pod(string spec) =>
        Obj($$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u1"},"spec":{{spec}}}""");

    private AdmissionRequest Admit(string spec)
    {
        var r = Create(PodKind, Pod(spec));
        _step.Admit(r);
        return r;
    }

    [Fact]
    public void Create_Defaults()
    {
        var r = Admit("""{"containers":[{"name":"web","image":"nginx","ports":[{"containerPort":80}],"livenessProbe":{"httpGet":{"port":80}}}]}""");
        Assert.Empty(r.Errors);
        var spec = r.Object["spec"]!.AsObject();
        Assert.Equal("Always", spec.Str("restartPolicy"));
        Assert.Equal("ClusterFirst", spec.Str("dnsPolicy"));
        Assert.Equal(30, spec.Long("terminationGracePeriodSeconds"));
        Assert.Equal("default-scheduler", spec.Str("schedulerName"));
        Assert.True(spec.Bool("enableServiceLinks"));
        Assert.Equal("{}", spec["securityContext"]!.ToJsonString());
        var c = spec["containers"]![0]!.AsObject();
        Assert.Equal("Always", c.Str("imagePullPolicy"));
        Assert.Equal("/dev/termination-log", c.Str("terminationMessagePath"));
        Assert.Equal("File", c.Str("terminationMessagePolicy"));
        Assert.Equal("TCP", c["ports"]![0].Str("protocol"));
        var probe = c["livenessProbe"]!.AsObject();
        Assert.Equal(1, probe.Long("timeoutSeconds"));
        Assert.Equal(10, probe.Long("periodSeconds"));
        Assert.Equal(3, probe.Long("failureThreshold"));
        Assert.Equal("HTTP", probe["httpGet"].Str("scheme"));
    }

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("nginx:1.25", "IfNotPresent")]
    [InlineData("registry.local:5000/nginx", "Always")]
    [InlineData("registry.local:5000/nginx:1.0", "IfNotPresent")]
    [InlineData("registry.local:5000/team/app:latest", "Always")]
    [InlineData("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent")]
    [InlineData("nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "Always")]
    public void Create_ImagePullPolicyDefault(string image, string expected)
    {
        var r = Admit($$"""{"containers":[{"name":"c","image":"{{image}}"}]}""");
        Assert.Equal(expected, r.Object["spec"]!["containers"]![0].Str("imagePullPolicy"));
    }

    [Theory]
    [InlineData("""{"containers":[]}""", "spec.containers: Required value")]
    [InlineData("""{"containers":[{"name":"Web","image":"x"}]}""", "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label")]
    [InlineData("""{"containers":[{"image":"x"}]}""", "spec.containers[0].name: Required value")]
    [InlineData("""{"containers":[{"name":"a"}]}""", "spec.containers[0].image: Required value")]
    [InlineData("""{"initContainers":[{"name":"a","image":"x"}],"containers":[{"name":"a","image":"x"}]}""", "spec.containers[0].name: Duplicate value: \"a\"")]
    [InlineData("""{"containers":[{"name":"a","image":"x","ports":[{"containerPort":70000}]}]}""", "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive")]
    [InlineData("""{"containers":[{"name":"a","image":"x","ports":[{}]}]}""", "spec.containers[0].ports[0].containerPort: Required value")]
    [InlineData("""{"containers":[{"name":"a","image":"x","ports":[{"containerPort":80,"hostPort":70000}]}]}""", "spec.containers[0].ports[0].hostPort: Invalid value: 70000")]
    [InlineData("""{"containers":[{"name":"a","image":"x","ports":[{"containerPort":80,"name":"web_1"}]}]}""", "spec.containers[0].ports[0].name: Invalid value: \"web_1\": must contain only alphanumeric")]
    [InlineData("""{"containers":[{"name":"a","image":"x","ports":[{"containerPort":80,"name":"web"},{"containerPort":81,"name":"web"}]}]}""", "spec.containers[0].ports[1].name: Duplicate value: \"web\"")]
    [InlineData("""{"containers":[{"name":"a","image":"x","ports":[{"containerPort":80,"protocol":"ICMP"}]}]}""", "spec.containers[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"")]
    [InlineData("""{"restartPolicy":"Sometimes","containers":[{"name":"a","image":"x"}]}""", "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"")]
    [InlineData("""{"containers":[{"name":"a","image":"x","livenessProbe":{}}]}""", "spec.containers[0].livenessProbe: Required value: must specify a handler type")]
    [InlineData("""{"containers":[{"name":"a","image":"x","readinessProbe":{"httpGet":{"port":80},"tcpSocket":{"port":80}}}]}""", "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type")]
    [InlineData("""{"containers":[{"name":"a","image":"x","livenessProbe":{"exec":{"command":["true"]},"successThreshold":2}}]}""", "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1")]
    [InlineData("""{"containers":[{"name":"a","image":"x","env":[{"name":"1BAD","value":"v"}]}]}""", "spec.containers[0].env[0].name: Invalid value: \"1BAD\": a valid environment variable name")]
    [InlineData("""{"containers":[{"name":"a","image":"x","env":[{"value":"v"}]}]}""", "spec.containers[0].env[0].name: Required value")]
    [InlineData("""{"containers":[{"name":"a","image":"x","volumeMounts":[{"name":"data","mountPath":"/d"}]}]}""", "spec.containers[0].volumeMounts[0].name: Not found: \"data\"")]
    [InlineData("""{"dnsPolicy":"Google","containers":[{"name":"a","image":"x"}]}""", "spec.dnsPolicy: Unsupported value: \"Google\"")]
    [InlineData("""{"activeDeadlineSeconds":0,"containers":[{"name":"a","image":"x"}]}""", "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive")]
    public void Create_Invalid(string spec, string expectedPrefix)
    {
        var r = Admit(spec);
        Assert.Contains(Messages(r), m => m.StartsWith(expectedPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public void Create_ValidEnvAndNamedProbePort_Ok()
    {
        var r = Admit("""{"volumes":[{"name":"data","emptyDir":{}}],"containers":[{"name":"a","image":"x","env":[{"name":"MY_ENV.NAME","value":"1"}],"ports":[{"name":"http","containerPort":8080}],"readinessProbe":{"httpGet":{"port":"http"}},"volumeMounts":[{"name":"data","mountPath":"/d"}]}]}""");
        Assert.Empty(r.Errors);
    }

    [Fact]
    public void Create_SamePortNameInTwoContainers_Ok()
    {
        var r = Admit("""{"containers":[{"name":"a","image":"x","ports":[{"name":"http","containerPort":80}]},{"name":"b","image":"x","ports":[{"name":"http","containerPort":81}]}]}""");
        Assert.Empty(r.Errors);
    }

    private JsonObject Stored(string spec)
    {
        var r = Admit(spec);
        Assert.Empty(r.Errors);
        return r.Object;
    }

    [Fact]
    public void Update_ImageChange_Allowed()
    {
        var old = Stored("""{"containers":[{"name":"a","image":"x:1"}]}""");
        var body = old.Clone();
        body["spec"]!["containers"]![0]!["image"] = "x:2";
        var r = Update(PodKind, body, old);
        _step.Admit(r);
        Assert.Empty(r.Errors);
    }

    [Fact]
    public void Update_StoredRoundTrip_BodyWithoutDefaults_Allowed()
    {
        // Storage hands back parsed JSON; a client body that omits defaulted fields gets them again and must compare equal.
        var stored = Obj(Stored("""{"containers":[{"name":"a","image":"x:1","ports":[{"containerPort":80}],"livenessProbe":{"tcpSocket":{"port":80}}}]}""").ToJsonString());
        var body = Pod("""{"containers":[{"name":"a","image":"x:2","ports":[{"containerPort":80}],"livenessProbe":{"tcpSocket":{"port":80}}}]}""");
        var r = Update(PodKind, body, stored);
        _step.Admit(r);
        Assert.Empty(r.Errors);
    }

    [Fact]
    public void Update_OtherSpecChange_Forbidden()
    {
        var old = Stored("""{"containers":[{"name":"a","image":"x:1"}]}""");
        var body = old.Clone();
        body["spec"]!["restartPolicy"] = "Never";
        var r = Update(PodKind, body, old);
        _step.Admit(r);
        var e = Assert.Single(r.Errors);
        Assert.Equal("spec", e.Field);
        Assert.StartsWith("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n", e.ToString());
        Assert.Contains("restartPolicy", e.Detail);
    }

    [Fact]
    public void Update_NodeName_SetOnceThenFixed()
    {
        var old = Stored("""{"containers":[{"name":"a","image":"x:1"}]}""");
        var bound = old.Clone();
        bound["spec"]!["nodeName"] = "node-1";
        var r1 = Update(PodKind, bound, old);
        _step.Admit(r1);
        Assert.Empty(r1.Errors);

        var moved = bound.Clone();
        moved["spec"]!["nodeName"] = "node-2";
        var r2 = Update(PodKind, moved, bound);
        _step.Admit(r2);
        Assert.Single(r2.Errors);
        Assert.Equal("spec", r2.Errors[0].Field);
    }

    [Fact]
    public void Update_TolerationAdded_Allowed_Removed_Forbidden()
    {
        var old = Stored("""{"tolerations":[{"key":"a","operator":"Exists","effect":"NoSchedule"}],"containers":[{"name":"a","image":"x:1"}]}""");
        var added = old.Clone();
        added["spec"]!["tolerations"]!.AsArray().Add(Obj("""{"key":"b","operator":"Exists","effect":"NoExecute","tolerationSeconds":30}"""));
        var r1 = Update(PodKind, added, old);
        _step.Admit(r1);
        Assert.Empty(r1.Errors);

        var removed = old.Clone();
        removed["spec"]!["tolerations"] = new JsonArray();
        var r2 = Update(PodKind, removed, old);
        _step.Admit(r2);
        Assert.Contains(r2.Errors, e => e.Field == "spec.tolerations");
    }

    [Fact]
    public void Update_ActiveDeadline_OnlyDecrease()
    {
        var old = Stored("""{"activeDeadlineSeconds":100,"containers":[{"name":"a","image":"x:1"}]}""");
        var lower = old.Clone();
        lower["spec"]!["activeDeadlineSeconds"] = 50;
        var r1 = Update(PodKind, lower, old);
        _step.Admit(r1);
        Assert.Empty(r1.Errors);

        var higher = old.Clone();
        higher["spec"]!["activeDeadlineSeconds"] = 200;
        var r2 = Update(PodKind, higher, old);
        _step.Admit(r2);
        Assert.Equal(["spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"], Messages(r2));
    }

    [Fact]
    public void StatusUpdate_SkipsSpecValidation()
    {
        var old = Stored("""{"containers":[{"name":"a","image":"x:1"}]}""");
        var body = old.Clone();
        body["spec"]!["containers"] = new JsonArray();
        body["status"] = Obj("""{"phase":"Running"}""");
        var r = Update(PodKind, body, old, subresource: "status");
        _step.Admit(r);
        Assert.Empty(r.Errors);
    }

    [Fact]
    public void OtherKinds_Ignored()
    {
        var r = Create(Kind("ConfigMap"), Obj("""{"metadata":{"name":"c"}}"""));
        _step.Admit(r);
        Assert.Null(r.Object["spec"]);
    }
}
