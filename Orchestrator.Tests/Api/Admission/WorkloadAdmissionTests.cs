using System.Text.Json.Nodes;
using Orchestrator.Api.Admission;
using Orchestrator.Core.Model;
using static Orchestrator.Tests.Api.Admission.AdmissionTestKit;

namespace Orchestrator.Tests.Api.Admission;

public class WorkloadAdmissionTests
{
    private readonly WorkloadAdmission _step = new();

    private const string Template = """{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.25"}]}}""";

    private static JsonObject Workload(string kind, string spec) =>
        Obj($$"""{"kind":"{{kind}}","metadata":{"name":"w","namespace":"default","uid":"uid-1"},"spec":{{spec}}}""");

    private AdmissionRequest Admit(string kind, string group, string spec)
    {
        var r = Create(Kind(kind, group), Workload(kind, spec));
        _step.Admit(r);
        return r;
    }

    private static JsonObject Spec(AdmissionRequest r) => r.Object["spec"]!.AsObject();

    [Fact]
    public void Deployment_Defaults()
    {
        var r = Admit("Deployment", "apps", $$$"""{"selector":{"matchLabels":{"app":"web"}},"template":{{{Template}}}}""");
        Assert.Empty(r.Errors);
        var spec = Spec(r);
        Assert.Equal(1, spec.Long("replicas"));
        Assert.Equal("RollingUpdate", spec["strategy"].Str("type"));
        Assert.Equal("25%", spec.At("strategy.rollingUpdate").Str("maxSurge"));
        Assert.Equal("25%", spec.At("strategy.rollingUpdate").Str("maxUnavailable"));
        Assert.Equal(10, spec.Long("revisionHistoryLimit"));
        Assert.Equal(600, spec.Long("progressDeadlineSeconds"));
        // The template is defaulted with the pod rules.
        Assert.Equal("Always", spec.At("template.spec").Str("restartPolicy"));
        Assert.Equal("IfNotPresent", spec.At("template.spec")!["containers"]![0].Str("imagePullPolicy"));
    }

    [Fact]
    public void Deployment_SelectorMismatch_Invalid()
    {
        var r = Admit("Deployment", "apps", $$$"""{"selector":{"matchLabels":{"app":"db"}},"template":{{{Template}}}}""");
        Assert.Equal(["spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"], Messages(r));
    }

    [Fact]
    public void Deployment_MissingSelector_Required()
    {
        var r = Admit("Deployment", "apps", $$"""{"template":{{Template}}}""");
        Assert.Equal(["spec.selector: Required value"], Messages(r));
    }

    [Fact]
    public void Deployment_EmptySelector_Invalid()
    {
        var r = Admit("Deployment", "apps", $$"""{"selector":{},"template":{{Template}}}""");
        Assert.Equal(["spec.selector: Invalid value: {}: empty selector is invalid for deployment"], Messages(r));
    }

    [Theory]
    [InlineData("""{"replicas":-1}""", "spec.replicas: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("""{"strategy":{"type":"Blue"}}""", "spec.strategy.type: Unsupported value: \"Blue\": supported values: \"Recreate\", \"RollingUpdate\"")]
    [InlineData("""{"strategy":{"type":"Recreate","rollingUpdate":{"maxSurge":1}}}""", "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'")]
    [InlineData("""{"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":0}}}""", "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0")]
    [InlineData("""{"strategy":{"rollingUpdate":{"maxUnavailable":"150%"}}}""", "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%")]
    [InlineData("""{"minReadySeconds":700}""", "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds")]
    public void Deployment_FieldRules(string extra, string expected)
    {
        var spec = Obj($$$"""{"selector":{"matchLabels":{"app":"web"}},"template":{{{Template}}}}""");
        foreach (var (k, v) in Obj(extra)) spec[k] = v!.DeepClone();
        var r = Admit("Deployment", "apps", spec.ToJsonString());
        Assert.Contains(expected, Messages(r));
    }

    [Fact]
    public void Deployment_TemplatePodRules_PathPrefixed()
    {
        var r = Admit("Deployment", "apps", """{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"Web","image":"x"}]}}}""");
        Assert.Contains(r.Errors, e => e.Field == "spec.template.spec.containers[0].name");
    }

    [Fact]
    public void Deployment_TemplateRestartPolicyNever_NotSupported()
    {
        var r = Admit("Deployment", "apps", """{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"restartPolicy":"Never","containers":[{"name":"web","image":"x"}]}}}""");
        Assert.Equal(["spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""], Messages(r));
    }

    [Fact]
    public void Deployment_SelectorChangeOnUpdate_Immutable()
    {
        var created = Admit("Deployment", "apps", $$$"""{"selector":{"matchLabels":{"app":"web"}},"template":{{{Template}}}}""").Object;
        var body = created.Clone();
        body["spec"]!["selector"] = Obj("""{"matchLabels":{"app":"web","tier":"x"}}""");
        body["spec"]!["template"]!["metadata"]!["labels"]!["tier"] = "x";
        var r = Update(Kind("Deployment", "apps"), body, created);
        _step.Admit(r);
        Assert.Equal(["spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web\",\"tier\":\"x\"}}: field is immutable"], Messages(r));
    }

    [Fact]
    public void ReplicaSet_MatchExpressionsSelector_Ok()
    {
        var r = Admit("ReplicaSet", "apps", $$"""{"selector":{"matchExpressions":[{"key":"app","operator":"In","values":["web","api"]}]},"template":{{Template}}}""");
        Assert.Empty(r.Errors);
        Assert.Equal(1, Spec(r).Long("replicas"));
    }

    [Fact]
    public void ReplicationController_SelectorAndLabelsDefaultFromTemplate()
    {
        var r = Admit("ReplicationController", "", $$"""{"template":{{Template}}}""");
        Assert.Empty(r.Errors);
        Assert.Equal("""{"app":"web"}""", Spec(r)["selector"]!.ToJsonString());
        Assert.Equal("web", r.Object.Labels()["app"]);
        Assert.Equal(1, Spec(r).Long("replicas"));
    }

    [Fact]
    public void ReplicationController_SelectorMismatch_Invalid()
    {
        var r = Admit("ReplicationController", "", $$"""{"selector":{"app":"db"},"template":{{Template}}}""");
        Assert.Equal(["spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"], Messages(r));
    }

    [Fact]
    public void DaemonSet_Defaults()
    {
        var r = Admit("DaemonSet", "apps", $$$"""{"selector":{"matchLabels":{"app":"web"}},"template":{{{Template}}}}""");
        Assert.Empty(r.Errors);
        var spec = Spec(r);
        Assert.Equal("RollingUpdate", spec["updateStrategy"].Str("type"));
        Assert.Equal(1, spec.At("updateStrategy.rollingUpdate").Long("maxUnavailable"));
        Assert.Equal(10, spec.Long("revisionHistoryLimit"));
        Assert.Null(spec["replicas"]);
    }

    [Fact]
    public void DaemonSet_EmptySelector_Invalid()
    {
        var r = Admit("DaemonSet", "apps", $$$"""{"selector":{"matchLabels":{}},"template":{{{Template}}}}""");
        Assert.Contains("spec.selector: Invalid value: {\"matchLabels\":{}}: empty selector is invalid for daemonset", Messages(r));
    }

    private const string JobTemplate = """{"spec":{"restartPolicy":"Never","containers":[{"name":"job","image":"busybox"}]}}""";

    [Fact]
    public void Job_Defaults_AndGeneratedSelector()
    {
        var r = Admit("Job", "batch", $$"""{"template":{{JobTemplate}}}""");
        Assert.Empty(r.Errors);
        var spec = Spec(r);
        Assert.Equal(1, spec.Long("completions"));
        Assert.Equal(1, spec.Long("parallelism"));
        Assert.Equal(6, spec.Long("backoffLimit"));
        Assert.Equal("NonIndexed", spec.Str("completionMode"));
        Assert.False(spec.Bool("suspend"));
        Assert.Equal("""{"matchLabels":{"batch.kubernetes.io/controller-uid":"uid-1"}}""", spec["selector"]!.ToJsonString());
        var labels = KubeObject.StringMap(spec.At("template.metadata.labels"));
        Assert.Equal("uid-1", labels["batch.kubernetes.io/controller-uid"]);
        Assert.Equal("uid-1", labels["controller-uid"]);
        Assert.Equal("w", labels["batch.kubernetes.io/job-name"]);
        Assert.Equal("w", labels["job-name"]);
    }

    [Fact]
    public void Job_ParallelismOnly_CompletionsUnset()
    {
        var r = Admit("Job", "batch", $$"""{"parallelism":3,"template":{{JobTemplate}}}""");
        Assert.Empty(r.Errors);
        Assert.Null(Spec(r)["completions"]);
    }

    [Fact]
    public void Job_MissingRestartPolicy_Required()
    {
        var r = Admit("Job", "batch", """{"template":{"spec":{"containers":[{"name":"job","image":"busybox"}]}}}""");
        Assert.Equal(["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""], Messages(r));
    }

    [Fact]
    public void Job_RestartPolicyAlways_NotSupported()
    {
        var r = Admit("Job", "batch", """{"template":{"spec":{"restartPolicy":"Always","containers":[{"name":"job","image":"busybox"}]}}}""");
        Assert.Equal(["spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""], Messages(r));
    }

    [Fact]
    public void Job_UserSelectorWithoutManual_NotAutoGenerated()
    {
        var r = Admit("Job", "batch", """{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"restartPolicy":"Never","containers":[{"name":"job","image":"busybox"}]}}}""");
        Assert.Contains("spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"x\"}}: `selector` not auto-generated", Messages(r));
    }

    [Fact]
    public void Job_ManualSelector_KeptAndChecked()
    {
        var ok = Admit("Job", "batch", """{"manualSelector":true,"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"restartPolicy":"Never","containers":[{"name":"job","image":"busybox"}]}}}""");
        Assert.Empty(ok.Errors);
        Assert.False(KubeObject.StringMap(Spec(ok).At("template.metadata.labels")).ContainsKey("job-name"));

        var missing = Admit("Job", "batch", $$"""{"manualSelector":true,"template":{{JobTemplate}}}""");
        Assert.Equal(["spec.selector: Required value"], Messages(missing));
    }

    [Fact]
    public void Job_IndexedWithoutCompletions_Required()
    {
        var r = Admit("Job", "batch", $$"""{"completionMode":"Indexed","parallelism":2,"template":{{JobTemplate}}}""");
        Assert.Equal(["spec.completions: Required value: when completion mode is Indexed"], Messages(r));
    }

    [Fact]
    public void Job_TemplateChangeOnUpdate_Immutable()
    {
        var created = Admit("Job", "batch", $$"""{"template":{{JobTemplate}}}""").Object;
        var body = created.Clone();
        body["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "busybox:2";
        var r = Update(Kind("Job", "batch"), body, created);
        _step.Admit(r);
        Assert.Contains(r.Errors, e => e.Field == "spec.template" && e.Detail == "field is immutable");
    }

    [Fact]
    public void CronJob_Defaults()
    {
        var r = Admit("CronJob", "batch", """{"schedule":"*/5 * * * *","jobTemplate":{"spec":{"template":""" + JobTemplate + "}}}");
        Assert.Empty(r.Errors);
        var spec = Spec(r);
        Assert.Equal("Allow", spec.Str("concurrencyPolicy"));
        Assert.False(spec.Bool("suspend"));
        Assert.Equal(3, spec.Long("successfulJobsHistoryLimit"));
        Assert.Equal(1, spec.Long("failedJobsHistoryLimit"));
        Assert.Equal("ClusterFirst", spec.At("jobTemplate.spec.template.spec").Str("dnsPolicy"));
    }

    [Theory]
    [InlineData("", "spec.schedule: Required value")]
    [InlineData("61 * * * *", "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61")]
    [InlineData("hourly", "spec.schedule: Invalid value: \"hourly\": expected exactly 5 fields, found 1: [hourly]")]
    public void CronJob_BadSchedule(string schedule, string expected)
    {
        var r = Admit("CronJob", "batch", $$"""{"schedule":"{{schedule}}","jobTemplate":{"spec":{"template":""" + JobTemplate + "}}}");
        Assert.Equal([expected], Messages(r));
    }

    [Theory]
    [InlineData("Local", "spec.timeZone: Invalid value: \"Local\": must be an explicit time zone as defined in https://www.iana.org/time-zones")]
    [InlineData("Mars/Olympus_Mons", "spec.timeZone: Invalid value: \"Mars/Olympus_Mons\": unknown time zone Mars/Olympus_Mons")]
    [InlineData("UTC", null)]
    public void CronJob_TimeZone(string tz, string? expected)
    {
        var r = Admit("CronJob", "batch", $$"""{"schedule":"@daily","timeZone":"{{tz}}","jobTemplate":{"spec":{"template":""" + JobTemplate + "}}}");
        if (expected is null) Assert.Empty(r.Errors);
        else if (TimeZoneInfo.GetSystemTimeZones().Count > 0 || tz == "Local") Assert.Equal([expected], Messages(r));
    }

    [Fact]
    public void CronJob_BadConcurrencyPolicyAndTemplateRestart()
    {
        var r = Admit("CronJob", "batch", """{"schedule":"@hourly","concurrencyPolicy":"Sometimes","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Always","containers":[{"name":"j","image":"b"}]}}}}}""");
        Assert.Contains("spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"", Messages(r));
        Assert.Contains(r.Errors, e => e.Field == "spec.jobTemplate.spec.template.spec.restartPolicy");
    }

    [Fact]
    public void ScaleSubresource_OnlyReplicasChecked()
    {
        var ok = Update(Kind("Deployment", "apps"), Obj("""{"kind":"Scale","spec":{"replicas":3}}"""), Obj("""{"spec":{}}"""), subresource: "scale");
        _step.Admit(ok);
        Assert.Empty(ok.Errors);

        var bad = Update(Kind("Deployment", "apps"), Obj("""{"kind":"Scale","spec":{"replicas":-5}}"""), Obj("""{"spec":{}}"""), subresource: "scale");
        _step.Admit(bad);
        Assert.Equal(["spec.replicas: Invalid value: -5: must be greater than or equal to 0"], Messages(bad));
    }

    [Fact]
    public void StatusSubresource_Ignored()
    {
        var r = Update(Kind("Deployment", "apps"), Obj("""{"spec":{"replicas":-5}}"""), Obj("""{"spec":{}}"""), subresource: "status");
        _step.Admit(r);
        Assert.Empty(r.Errors);
    }
}
