using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The workload controllers and the scheduler, driven by the real kubectl against a real server process with
/// simulated nodes (seed 004's ReplicaSet, ReplicationController, DaemonSet, Job and CronJob; seed 002's Deployment).
/// Each test works in its own namespace so the class can share one cluster.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ControllersEndToEndTests(SimulatedClusterFixture cluster) : IClassFixture<SimulatedClusterFixture>
{
    private Kubectl K => cluster.Kubectl;

    private async Task<string> NamespaceAsync(string name)
    {
        (await K.RunAsync("create", "namespace", name)).Ok();
        return name;
    }

    private async Task ApplyAsync(string ns, string yaml) => (await K.RunAsync("apply", "-n", ns, "-f", ClusterFixture.Manifest(yaml))).Ok();

    private async Task<JsonObject> JsonAsync(params string[] args) =>
        JsonNode.Parse((await K.RunAsync([.. args, "-o", "json"])).Ok().StdOut)!.AsObject();

    private async Task<List<JsonObject>> PodsAsync(string ns, string selector) =>
        (await JsonAsync("get", "pods", "-n", ns, "-l", selector))["items"]!.AsArray().OfType<JsonObject>().ToList();

    private static bool Running(JsonObject pod) =>
        pod["status"]?["phase"]?.GetValue<string>() == "Running" && pod["metadata"]?["deletionTimestamp"] == null;

    private Task WaitForRunningPodsAsync(string ns, string selector, int count) =>
        cluster.EventuallyAsync(async () => (await PodsAsync(ns, selector)).Count(Running) == count &&
                                            (await PodsAsync(ns, selector)).Count(p => p["metadata"]?["deletionTimestamp"] == null) == count,
            $"{count} running pods match {selector} in {ns}");

    private const string SeedReplicaSet = """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: kubia
        spec:
          replicas: 3
          selector:
            matchExpressions:
              - key: app
                operator: In
                values:
                 - kubia
          template:
            metadata:
              labels:
                app: kubia
            spec:
              containers:
              - name: kubia
                image: luksa/kubia
                ports:
                - name: http
                  containerPort: 8080
        """;

    [Fact]
    public async Task ReplicaSet_KeepsItsCount_ThroughDeletionRelabelAndScale()
    {
        var ns = await NamespaceAsync("rs-heal");
        await ApplyAsync(ns, SeedReplicaSet);
        await WaitForRunningPodsAsync(ns, "app=kubia", 3);

        var victim = (await PodsAsync(ns, "app=kubia"))[0]["metadata"]!["name"]!.GetValue<string>();
        (await K.RunAsync("delete", "pod", "-n", ns, victim, "--wait=false")).Ok();
        await WaitForRunningPodsAsync(ns, "app=kubia", 3);

        // Relabelled pod: released (no ownerReference) but kept; a replacement takes its place.
        var relabelled = (await PodsAsync(ns, "app=kubia"))[0]["metadata"]!["name"]!.GetValue<string>();
        (await K.RunAsync("label", "pod", "-n", ns, relabelled, "app=foo", "--overwrite")).Ok();
        await WaitForRunningPodsAsync(ns, "app=kubia", 3);
        var orphan = await JsonAsync("get", "pod", "-n", ns, relabelled);
        Assert.Null(orphan["metadata"]?["ownerReferences"]?.AsArray().FirstOrDefault(o => o?["controller"]?.GetValue<bool>() == true));

        (await K.RunAsync("scale", "rs", "kubia", "-n", ns, "--replicas=5")).Ok();
        await WaitForRunningPodsAsync(ns, "app=kubia", 5);
        (await K.RunAsync("scale", "rs", "kubia", "-n", ns, "--replicas=2")).Ok();
        await WaitForRunningPodsAsync(ns, "app=kubia", 2);
        await cluster.WaitForOutputAsync(o => o.Contains("2/2") || System.Text.RegularExpressions.Regex.IsMatch(o, @"kubia\s+2\s+2\s+2"),
            "the ReplicaSet reports 2 ready", "get", "rs", "kubia", "-n", ns);
        Assert.Single(await PodsAsync(ns, "app=foo"));
    }

    [Fact]
    public async Task ReplicationController_SeedManifest_RunsThreePods()
    {
        var ns = await NamespaceAsync("rc");
        await ApplyAsync(ns, """
            apiVersion: v1
            kind: ReplicationController
            metadata:
              name: kubia
            spec:
              replicas: 3
              selector:
                app: kubia
              template:
                metadata:
                  labels:
                    app: kubia
                spec:
                  containers:
                  - name: kubia
                    image: luksa/kubia
                    ports:
                    - containerPort: 8080
            """);
        await WaitForRunningPodsAsync(ns, "app=kubia", 3);
        (await K.RunAsync("delete", "pod", "-n", ns, "-l", "app=kubia", "--wait=false")).Ok();
        await WaitForRunningPodsAsync(ns, "app=kubia", 3);
    }

    [Fact]
    public async Task Deployment_RollsOut_SetEnvRollsAgain_UndoRollsBack()
    {
        var ns = await NamespaceAsync("deploy");
        await ApplyAsync(ns, """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: hostname
            spec:
              replicas: 3
              selector:
                matchLabels: {app: hostname}
              template:
                metadata:
                  labels: {app: hostname}
                spec:
                  containers:
                  - name: web
                    image: echo-hostname:1.0
                    ports:
                    - containerPort: 80
            """);
        Assert.Contains("successfully rolled out", (await K.RunAsync("rollout", "status", "deployment/hostname", "-n", ns, "--timeout=60s")).Ok().StdOut);
        (await K.RunAsync("set", "env", "deployment/hostname", "-n", ns, "GREETING=hello")).Ok();
        Assert.Contains("successfully rolled out", (await K.RunAsync("rollout", "status", "deployment/hostname", "-n", ns, "--timeout=60s")).Ok().StdOut);
        var replicaSets = (await JsonAsync("get", "rs", "-n", ns))["items"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal(2, replicaSets.Count);
        Assert.Contains(replicaSets, rs => rs["spec"]!["replicas"]!.GetValue<long>() == 0);
        Assert.All(replicaSets, rs => Assert.StartsWith("hostname-", rs["metadata"]!["name"]!.GetValue<string>()));
        var history = (await K.RunAsync("rollout", "history", "deployment/hostname", "-n", ns)).Ok().StdOut;
        Assert.Contains("1 ", history);
        Assert.Contains("2 ", history);

        (await K.RunAsync("rollout", "undo", "deployment/hostname", "-n", ns)).Ok();
        Assert.Contains("successfully rolled out", (await K.RunAsync("rollout", "status", "deployment/hostname", "-n", ns, "--timeout=60s")).Ok().StdOut);
        var env = (await K.RunAsync("get", "deploy", "hostname", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].env}")).Ok().StdOut;
        Assert.DoesNotContain("GREETING", env);
        await WaitForRunningPodsAsync(ns, "app=hostname", 3);
    }

    [Fact]
    public async Task Endpoints_ListReadyPodIps_WithTheNamedPortResolved_AndSlicesExist()
    {
        var ns = await NamespaceAsync("endpoints");
        await ApplyAsync(ns, SeedReplicaSet.Replace("name: kubia\nspec", "name: kubia\nspec"));
        await ApplyAsync(ns, """
            apiVersion: v1
            kind: Service
            metadata:
              name: kubia
            spec:
              ports:
              - name: http
                port: 80
                targetPort: http
              selector:
                app: kubia
            """);
        await WaitForRunningPodsAsync(ns, "app=kubia", 3);
        var podIps = (await PodsAsync(ns, "app=kubia")).Select(p => p["status"]!["podIP"]!.GetValue<string>()).Order().ToList();
        await cluster.EventuallyAsync(async () =>
        {
            var ep = await JsonAsync("get", "endpoints", "kubia", "-n", ns);
            var subset = ep["subsets"]?.AsArray().OfType<JsonObject>().SingleOrDefault();
            var ips = subset?["addresses"]?.AsArray().Select(a => a!["ip"]!.GetValue<string>()).Order().ToList() ?? [];
            return ips.SequenceEqual(podIps) && subset!["ports"]![0]!["port"]!.GetValue<long>() == 8080;
        }, "the Endpoints list the 3 pod IPs on port 8080");
        var slices = (await JsonAsync("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=kubia"))["items"]!.AsArray();
        Assert.NotEmpty(slices);
        Assert.Equal(3, slices.Sum(s => s!["endpoints"]!.AsArray().Count));
        Assert.Contains("8080", (await K.RunAsync("describe", "svc", "kubia", "-n", ns)).Ok().StdOut);
    }

    [Fact]
    public async Task UnreadyPod_SitsInNotReadyAddresses_UntilItBecomesReady()
    {
        var ns = await NamespaceAsync("not-ready");
        await ApplyAsync(ns, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: slow
              labels: {app: slow}
              annotations:
                sim.orchestrator/ready-after: "6s"
            spec:
              containers:
              - name: main
                image: slow:1.0
                ports:
                - containerPort: 8080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: slow
            spec:
              selector: {app: slow}
              ports:
              - port: 80
                targetPort: 8080
            """);
        await cluster.EventuallyAsync(async () =>
            (await JsonAsync("get", "endpoints", "slow", "-n", ns))["subsets"]?[0]?["notReadyAddresses"]?.AsArray().Count == 1,
            "the running but unready pod is listed in notReadyAddresses");
        await cluster.EventuallyAsync(async () =>
        {
            var subset = (await JsonAsync("get", "endpoints", "slow", "-n", ns))["subsets"]?[0];
            return subset?["addresses"]?.AsArray().Count == 1 && subset["notReadyAddresses"] == null;
        }, "the pod moves to addresses once ready");
    }

    [Fact]
    public async Task LoadBalancerService_GetsTheNodeAddressesAsIngress()
    {
        var ns = await NamespaceAsync("lb");
        await ApplyAsync(ns, """
            apiVersion: v1
            kind: Service
            metadata:
              name: users
            spec:
              type: LoadBalancer
              selector: {app: users}
              ports:
              - port: 8080
                targetPort: 80
            """);
        var output = await cluster.WaitForOutputAsync(o => !o.Contains("<pending>") && o.Contains("10.255."),
            "the LoadBalancer service shows node addresses as EXTERNAL-IP", "get", "svc", "users", "-n", ns);
        Assert.Matches(@"users\s+LoadBalancer\s+10\.\S+\s+10\.255\.", output);
    }

    [Fact]
    public async Task CronJob_FiresAJobOnSchedule()
    {
        var ns = await NamespaceAsync("cron");
        await ApplyAsync(ns, """
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: every-minute
            spec:
              schedule: "* * * * *"
              startingDeadlineSeconds: 30
              jobTemplate:
                spec:
                  template:
                    metadata:
                      annotations:
                        sim.orchestrator/exit-after: "1s"
                    spec:
                      restartPolicy: OnFailure
                      containers:
                      - name: main
                        image: luksa/batch-job
            """);
        await cluster.EventuallyAsync(async () =>
            (await JsonAsync("get", "jobs", "-n", ns))["items"]!.AsArray().Any(j => j!["status"]?["succeeded"]?.GetValue<long>() == 1),
            "the CronJob's first job runs to completion", timeoutMs: 100_000);
        Assert.Contains("every-minute-", (await K.RunAsync("get", "jobs", "-n", ns)).Ok().StdOut);
        await cluster.WaitForOutputAsync(o => !o.Contains("<none>"), "lastScheduleTime is set", "get", "cronjob", "every-minute", "-n", ns,
            "-o", "jsonpath={.status.lastScheduleTime}");
    }

    [Fact]
    public async Task DaemonSet_RunsOnePodPerNode()
    {
        var ns = await NamespaceAsync("ds");
        await ApplyAsync(ns, """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: monitor
            spec:
              selector:
                matchLabels: {app: monitor}
              template:
                metadata:
                  labels: {app: monitor}
                spec:
                  containers:
                  - name: main
                    image: monitor:1.0
            """);
        await WaitForRunningPodsAsync(ns, "app=monitor", SimulatedClusterFixture.NodeCount);
        var nodes = (await PodsAsync(ns, "app=monitor")).Select(p => p["spec"]!["nodeName"]!.GetValue<string>()).Distinct().Count();
        Assert.Equal(SimulatedClusterFixture.NodeCount, nodes);
    }

    [Fact]
    public async Task Job_WithTwoCompletions_Completes()
    {
        var ns = await NamespaceAsync("job");
        await ApplyAsync(ns, """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: batch-job
            spec:
              completions: 2
              template:
                metadata:
                  labels:
                    app: batch-job
                  annotations:
                    sim.orchestrator/exit-after: "1s"
                spec:
                  restartPolicy: OnFailure
                  containers:
                  - name: main
                    image: luksa/batch-job
            """);
        await cluster.WaitForOutputAsync(o => o.Contains("Complete"), "the job completes", "get", "job", "batch-job", "-n", ns);
        Assert.Equal("2", (await K.RunAsync("get", "job", "batch-job", "-n", ns, "-o", "jsonpath={.status.succeeded}")).Ok().StdOut);
    }

    [Fact]
    public async Task DeleteCascade_ForegroundBackgroundOrphan()
    {
        var ns = await NamespaceAsync("cascade");
        foreach (var (name, cascade) in new[] { ("fg", "foreground"), ("bg", "background"), ("orphan", "orphan") })
        {
            await ApplyAsync(ns, SeedReplicaSet.Replace("name: kubia", $"name: {name}").Replace("app: kubia", $"app: {name}").Replace("- kubia", $"- {name}"));
            await WaitForRunningPodsAsync(ns, $"app={name}", 3);
            (await K.RunAsync("delete", "rs", name, "-n", ns, $"--cascade={cascade}", "--timeout=60s")).Ok();
            if (cascade == "orphan")
            {
                await Task.Delay(1000);
                var pods = await PodsAsync(ns, $"app={name}");
                Assert.Equal(3, pods.Count);
                Assert.All(pods, p => Assert.Null(p["metadata"]?["ownerReferences"]));
            }
            else
            {
                await cluster.EventuallyAsync(async () => (await PodsAsync(ns, $"app={name}")).Count == 0, $"{cascade} deletion removes the pods");
            }
        }
    }

    [Fact]
    public async Task UnschedulablePod_StaysPendingAndSaysWhy()
    {
        var ns = await NamespaceAsync("unschedulable");
        await ApplyAsync(ns, """
            apiVersion: v1
            kind: Pod
            metadata:
              name: picky
            spec:
              nodeSelector:
                disktype: ssd
              containers:
              - name: main
                image: busybox
            """);
        var describe = await cluster.WaitForOutputAsync(o => o.Contains("FailedScheduling"), "describe shows FailedScheduling", "describe", "pod", "picky", "-n", ns);
        Assert.Contains($"0/{SimulatedClusterFixture.NodeCount} nodes are available", describe);
        Assert.Contains("Pending", (await K.RunAsync("get", "pod", "picky", "-n", ns)).Ok().StdOut);
    }

    [Fact]
    public async Task NamespaceDeletion_RemovesEverythingInside()
    {
        var ns = await NamespaceAsync("doomed");
        await ApplyAsync(ns, SeedReplicaSet);
        await WaitForRunningPodsAsync(ns, "app=kubia", 3);
        (await K.RunAsync("delete", "namespace", ns, "--timeout=60s")).Ok();
        var gone = await K.RunAsync("get", "namespace", ns);
        Assert.Contains("NotFound", gone.Output);
        Assert.Empty((await JsonAsync("get", "pods", "-A", "--field-selector", $"metadata.namespace={ns}"))["items"]!.AsArray());
    }
}
