using System.Text;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>Everyday kubectl commands against a real server process: apply, edit, scale, label, watch, explain, …</summary>
[Trait("Category", "EndToEnd")]
public sealed class KubectlWorkflowTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private Kubectl K => cluster.Kubectl;

    private static string Deployment(string name, int replicas, string image = "echo-hostname:1.0") => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
          labels: {app: {{name}}}
        spec:
          replicas: {{replicas}}
          selector:
            matchLabels: {app: {{name}}}
          template:
            metadata:
              labels: {app: {{name}}}
            spec:
              containers:
              - name: web
                image: {{image}}
                ports:
                - containerPort: 80
        """;

    [Fact]
    public async Task Apply_Twice_CreatedThenUnchangedThenConfigured()
    {
        var file = ClusterFixture.Manifest(Deployment("apply-twice", 2));
        Assert.Contains("deployment.apps/apply-twice created", (await K.RunAsync("apply", "-f", file)).Ok().StdOut);
        Assert.Contains("deployment.apps/apply-twice unchanged", (await K.RunAsync("apply", "-f", file)).Ok().StdOut);
        File.WriteAllText(file, Deployment("apply-twice", 3, "echo-hostname:2.0"));
        Assert.Contains("deployment.apps/apply-twice configured", (await K.RunAsync("apply", "-f", file)).Ok().StdOut);
        var r = (await K.RunAsync("get", "deploy", "apply-twice", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.generation} {.spec.strategy.type}")).Ok();
        Assert.Equal("3 echo-hostname:2.0 2 RollingUpdate", r.StdOut);
    }

    [Fact]
    public async Task ApplyServerSide_CreatesAndUpdates()
    {
        var file = ClusterFixture.Manifest(Deployment("ssa", 1));
        Assert.Contains("serverside-applied", (await K.RunAsync("apply", "--server-side", "-f", file)).Ok().StdOut);
        File.WriteAllText(file, Deployment("ssa", 4));
        Assert.Contains("serverside-applied", (await K.RunAsync("apply", "--server-side", "-f", file)).Ok().StdOut);
        var r = (await K.RunAsync("get", "deploy", "ssa", "-o", "jsonpath={.spec.replicas} {.metadata.managedFields[0].manager}")).Ok();
        Assert.Equal("4 kubectl", r.StdOut);
        // Another manager changing the replicas the applier owns conflicts on the next apply unless forced.
        (await K.RunAsync("scale", "deploy", "ssa", "--replicas=2")).Ok();
        File.WriteAllText(file, Deployment("ssa", 5));
        var conflict = await K.RunAsync("apply", "--server-side", "-f", file);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("conflict", conflict.Output);
        (await K.RunAsync("apply", "--server-side", "--force-conflicts", "-f", file)).Ok();
        Assert.Equal("5", (await K.RunAsync("get", "deploy", "ssa", "-o", "jsonpath={.spec.replicas}")).Ok().StdOut);
    }

    [Fact]
    public async Task ReplicaSetWithMatchExpressions_EditScaleLabelAnnotate()
    {
        var rs = """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web-rs
            spec:
              replicas: 3
              selector:
                matchExpressions:
                - {key: app, operator: In, values: [web]}
                - {key: env, operator: NotIn, values: [test]}
              template:
                metadata:
                  labels: {app: web, env: prod}
                spec:
                  containers:
                  - name: web
                    image: echo-hostname:1.0
                    ports:
                    - containerPort: 8080
            """;
        (await K.RunAsync("apply", "-f", ClusterFixture.Manifest(rs))).Ok();
        var env = new Dictionary<string, string> { ["EDITOR"] = "sed -i 's/containerPort: 8080/containerPort: 9090/'" };
        Assert.Contains("edited", (await K.RunWithInputAsync(null, env, "edit", "rs", "web-rs")).Ok().StdOut);
        Assert.Contains("scaled", (await K.RunAsync("scale", "rs", "web-rs", "--replicas=5")).Ok().StdOut);
        (await K.RunAsync("label", "rs", "web-rs", "tier=frontend")).Ok();
        (await K.RunAsync("annotate", "rs", "web-rs", "owner=team-a")).Ok();
        var r = (await K.RunAsync("get", "rs", "web-rs", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].ports[0].containerPort} {.metadata.labels.tier} {.metadata.annotations.owner}")).Ok();
        Assert.Equal("5 9090 frontend team-a", r.StdOut);
        var scale = (await K.RunAsync("get", "--raw", "/apis/apps/v1/namespaces/default/replicasets/web-rs/scale")).Ok().StdOut;
        Assert.Contains("\"selector\":\"app in (web),env notin (test)\"", scale);
    }

    [Fact]
    public async Task LabelSelectors_SetBased()
    {
        foreach (var (name, env) in new[] { ("sel-prod", "prod"), ("sel-devel", "devel"), ("sel-test", "test"), ("sel-none", "") })
        {
            var args = new List<string> { "create", "configmap", name };
            (await K.RunAsync(args.ToArray())).Ok();
            if (env != "") (await K.RunAsync("label", "configmap", name, $"env={env}", "group=sel")).Ok();
            else (await K.RunAsync("label", "configmap", name, "group=sel")).Ok();
        }
        var inSet = (await K.RunAsync("get", "cm", "-l", "group=sel,env in (prod,devel)", "-o", "name")).Ok().StdOut;
        Assert.Equal(["configmap/sel-devel", "configmap/sel-prod"], inSet.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var noEnv = (await K.RunAsync("get", "cm", "-l", "group=sel,!env", "-o", "name")).Ok().StdOut;
        Assert.Equal(["configmap/sel-none"], noEnv.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var notIn = (await K.RunAsync("get", "cm", "-l", "group=sel,env notin (prod)", "-o", "name")).Ok().StdOut;
        Assert.Equal(3, notIn.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task GetWatch_PrintsChangesAsTheyHappen()
    {
        (await K.RunAsync("create", "namespace", "watched")).Ok();
        using var watch = K.Start("get", "configmaps", "-n", "watched", "-w");
        var output = new StringBuilder();
        var reader = Task.Run(async () =>
        {
            string? line;
            while ((line = await watch.StandardOutput.ReadLineAsync()) != null) lock (output) output.AppendLine(line);
        });
        await Task.Delay(1500);
        (await K.RunAsync("create", "configmap", "w1", "-n", "watched")).Ok();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && !Contains(output, "w1")) await Task.Delay(100);
        watch.Kill();
        Assert.True(Contains(output, "w1"), output.ToString());
        // One line per row: the watch must start from the list's resourceVersion and not replay it.
        Assert.Single(output.ToString().Split('\n'), l => l.StartsWith("w1", StringComparison.Ordinal));
    }

    private static bool Contains(StringBuilder sb, string s)
    {
        lock (sb) return sb.ToString().Contains(s, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_WithStaleResourceVersion_Conflicts()
    {
        (await K.RunAsync("create", "configmap", "stale", "--from-literal=a=1")).Ok();
        var yaml = (await K.RunAsync("get", "cm", "stale", "-o", "yaml")).Ok().StdOut;
        (await K.RunAsync("patch", "cm", "stale", "-p", "{\"data\":{\"a\":\"2\"}}")).Ok();
        var r = await K.RunAsync("replace", "-f", ClusterFixture.Manifest(yaml.Replace("a: \"1\"", "a: \"3\"")));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Conflict", r.Output);
        Assert.Contains("the object has been modified", r.Output);
    }

    [Fact]
    public async Task ExplainDescribeAndGetAll()
    {
        var explain = (await K.RunAsync("explain", "service.spec")).Ok().StdOut;
        Assert.Contains("clusterIP", explain);
        Assert.Contains("sessionAffinity", explain);
        (await K.RunAsync("apply", "-f", ClusterFixture.Manifest(Deployment("described", 1)))).Ok();
        var describe = (await K.RunAsync("describe", "deployment", "described")).Ok().StdOut;
        Assert.Contains("Name:", describe);
        Assert.Contains("echo-hostname:1.0", describe);
        (await K.RunAsync("expose", "deployment", "described", "--port", "80", "--target-port", "8080", "--type", "NodePort")).Ok();
        var svc = (await K.RunAsync("describe", "svc", "described")).Ok().StdOut;
        Assert.Contains("NodePort:", svc);
        Assert.Contains("8080/TCP", svc);
        var kubernetes = (await K.RunAsync("describe", "svc", "kubernetes")).Ok().StdOut;
        Assert.Contains($"127.0.0.1:{cluster.Server.Port}", kubernetes); // from the server's own EndpointSlice
        var all = (await K.RunAsync("get", "all")).Ok().StdOut;
        Assert.Contains("service/described", all);
        Assert.Contains("deployment.apps/described", all);
    }

    [Fact]
    public async Task Namespaces_CreateUseDelete()
    {
        (await K.RunAsync("create", "namespace", "team-b")).Ok();
        (await K.RunAsync("create", "configmap", "in-b", "-n", "team-b")).Ok();
        Assert.Contains("in-b", (await K.RunAsync("get", "cm", "-A")).Ok().StdOut);
        (await K.RunAsync("delete", "namespace", "team-b", "--timeout=30s")).Ok();
        var gone = await K.RunAsync("get", "namespace", "team-b");
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("NotFound", gone.Output);
        var create = await K.RunAsync("create", "configmap", "late", "-n", "team-b");
        Assert.NotEqual(0, create.ExitCode);
    }

    [Fact]
    public async Task FieldValidation_StrictRejects_WarnWarns_FalseAccepts()
    {
        var typo = Deployment("typo", 1).Replace("  replicas: 1", "  replica: 1").Replace("        image:", "        imagee: x\n        image:");
        var file = ClusterFixture.Manifest(typo);
        var strict = await K.RunAsync("apply", "-f", file);
        Assert.NotEqual(0, strict.ExitCode);
        Assert.Contains("strict decoding error: unknown field \"spec.replica\", unknown field \"spec.template.spec.containers[0].imagee\"", strict.Output);
        var warn = (await K.RunAsync("apply", "--validate=warn", "-f", file)).Ok();
        Assert.Contains("Warning: unknown field \"spec.replica\"", warn.StdErr);
        Assert.Contains("created", warn.StdOut);
        (await K.RunAsync("delete", "-f", file)).Ok();
        Assert.Contains("created", (await K.RunAsync("apply", "--validate=false", "-f", file)).Ok().StdOut);
    }

    [Fact]
    public async Task Delete_RemovesAndSecondDeleteIsNotFound()
    {
        (await K.RunAsync("create", "configmap", "to-delete")).Ok();
        Assert.Contains("deleted", (await K.RunAsync("delete", "configmap", "to-delete")).Ok().StdOut);
        var again = await K.RunAsync("delete", "configmap", "to-delete");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("Error from server (NotFound): configmaps \"to-delete\" not found", again.Output);
    }
}
