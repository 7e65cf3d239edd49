using System.Text.Json.Nodes;
using Orchestrator.Api.Admission;
using Orchestrator.Core.Model;
using static Orchestrator.Tests.Api.Admission.AdmissionTestKit;

namespace Orchestrator.Tests.Api.Admission;

public class MetadataAdmissionTests
{
    private readonly MetadataAdmission _step = new();

    private AdmissionRequest AdmitCreate(ResourceKind kind, string metadata)
    {
        var r = Create(kind, Obj($$"""{"metadata":{{metadata}}}"""));
        _step.Admit(r);
        return r;
    }

    [Theory]
    [InlineData("Service", "", "my-svc", true)]
    [InlineData("Service", "", "1svc", false)]
    [InlineData("Service", "", "my.svc", false)]
    [InlineData("Pod", "", "my.pod", true)]
    [InlineData("Pod", "", "My-Pod", false)]
    [InlineData("ConfigMap", "", "cfg.v1", true)]
    [InlineData("Deployment", "apps", "web.v2", true)]
    [InlineData("Deployment", "apps", "web_v2", false)]
    [InlineData("Namespace", "", "team-a", true)]
    [InlineData("Namespace", "", "team.a", false)]
    [InlineData("Node", "", "node-1.lab.local", true)]
    public void Create_NameRuleByKind(string kind, string group, string name, bool valid)
    {
        var k = Kind(kind, group);
        var ns = k.Namespaced ? ",\"namespace\":\"default\"" : "";
        var r = AdmitCreate(k, $$"""{"name":"{{name}}"{{ns}}}""");
        Assert.Equal(valid, r.Errors.Count == 0);
        if (!valid) Assert.All(r.Errors, e => Assert.Equal("metadata.name", e.Field));
    }

    [Fact]
    public void Create_ServiceNameMessage_IsDns1035()
    {
        var r = AdmitCreate(Kind("Service"), """{"name":"1svc","namespace":"default"}""");
        Assert.StartsWith("metadata.name: Invalid value: \"1svc\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character", Messages(r)[0]);
    }

    [Fact]
    public void Create_CronJobName_Over52_Invalid()
    {
        var name = new string('a', 53);
        var r = AdmitCreate(Kind("CronJob", "batch"), $$"""{"name":"{{name}}","namespace":"default"}""");
        Assert.Equal([$"metadata.name: Invalid value: \"{name}\": must be no more than 52 characters"], Messages(r));
    }

    [Fact]
    public void Create_MissingName_Required()
    {
        var r = AdmitCreate(Kind("Pod"), """{"namespace":"default"}""");
        Assert.Equal(["metadata.name: Required value: name or generateName is required"], Messages(r));
    }

    [Fact]
    public void Create_BadLabelsAndAnnotations()
    {
        var r = AdmitCreate(Kind("Pod"), """{"name":"p","namespace":"default","labels":{"app":"a b","-k":"v"},"annotations":{"a/b/c":"x"}}""");
        Assert.Contains(r.Errors, e => e.Field == "metadata.labels[app]");
        Assert.Contains(r.Errors, e => e.Field == "metadata.labels" && (string?)e.Value == "-k");
        Assert.Contains(r.Errors, e => e.Field == "metadata.annotations");
    }

    [Fact]
    public void Create_AnnotationsTooLarge_TooLong()
    {
        var big = new string('x', 300 * 1024);
        var r = AdmitCreate(Kind("ConfigMap"), $$$"""{"name":"c","namespace":"default","annotations":{"k":"{{{big}}}"}}""");
        Assert.Equal(["metadata.annotations: Too long: must have at most 262144 bytes"], Messages(r));
    }

    [Fact]
    public void Create_NamespacedKindWithoutNamespace_Required()
    {
        var r = AdmitCreate(Kind("Pod"), """{"name":"p"}""");
        Assert.Equal(["metadata.namespace: Required value"], Messages(r));
    }

    [Fact]
    public void Create_ClusterScopedWithNamespace_Forbidden()
    {
        var r = AdmitCreate(Kind("Node"), """{"name":"n","namespace":"default"}""");
        Assert.Equal(["metadata.namespace: Forbidden: not allowed on this type"], Messages(r));
    }

    [Fact]
    public void Update_RestoresServerOwnedFields()
    {
        var old = Obj("""{"metadata":{"name":"p","namespace":"default","uid":"u1","creationTimestamp":"2026-01-01T00:00:00Z"}}""");
        var body = Obj("""{"metadata":{"name":"p","namespace":"default","creationTimestamp":"1999-01-01T00:00:00Z"}}""");
        var r = Update(Kind("Pod"), body, old);
        _step.Admit(r);
        Assert.Empty(r.Errors);
        Assert.Equal("u1", body.Uid());
        Assert.Equal("2026-01-01T00:00:00Z", body["metadata"].Str("creationTimestamp"));
    }

    [Fact]
    public void Update_ChangedUidOrName_Immutable()
    {
        var old = Obj("""{"metadata":{"name":"p","namespace":"default","uid":"u1"}}""");
        var body = Obj("""{"metadata":{"name":"q","namespace":"default","uid":"u2"}}""");
        var r = Update(Kind("Pod"), body, old);
        _step.Admit(r);
        Assert.Contains("metadata.name: Invalid value: \"q\": field is immutable", Messages(r));
        Assert.Contains("metadata.uid: Invalid value: \"u2\": field is immutable", Messages(r));
    }

    [Fact]
    public void Delete_Ignored()
    {
        var r = new AdmissionRequest { Kind = Kind("Pod"), Operation = AdmissionOperation.Delete, Object = new JsonObject() };
        _step.Admit(r);
        Assert.Empty(r.Errors);
    }
}
