using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 4's controller scenarios on real containers: the seed ReplicaSet healing through deletion and relabelling,
/// a Deployment rollout and undo, Endpoints following readiness, a DaemonSet and a Job, each checked through kubectl
/// and through what actually runs in Docker; plus service environment variables and ConfigMap/Secret volumes as a
/// container sees them.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(AgentClusterCollection.Name)]
public sealed class WorkloadsOnDockerEndToEndTests(AgentClusterFixture cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private const string Image = AgentClusterFixture.Image;

    [Fact]
    public async Task SeedReplicaSet_HealsThroughDeletionAndRelabel_OnRealContainers()
    {
        const string ns = "wl-rs";
        await CreateNamespaceAsync(ns);
        // Seed 004's ReplicaSet with matchExpressions, on the local busybox image.
        await ApplyAsync(ns, $$"""
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
                  values: [kubia]
              template:
                metadata:
                  labels:
                    app: kubia
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: kubia
                    image: {{Image}}
                    command: ["sleep", "3600"]
            """);
        var pods = await WaitRunningAsync(ns, "app=kubia", 3);
        await AssertContainersRunAsync(ns, pods);

        // A deleted pod is replaced by a new one that runs for real; the old container goes away.
        var victim = pods[0];
        (await cluster.Kubectl.RunAsync("-n", ns, "delete", "pod", victim, "--wait=true")).Ok();
        var healed = await WaitRunningAsync(ns, "app=kubia", 3, except: [victim]);
        Assert.DoesNotContain(victim, healed);
        await AssertContainersRunAsync(ns, healed);
        await cluster.EventuallyAsync(async () => (await cluster.AppContainerIdsAsync(ns, victim)).Count == 0 ? "gone" : null, Timeout, "the deleted pod's container removed");

        // Relabelled out of the selector: it keeps running without an owner, a replacement is created.
        var relabelled = healed[0];
        (await cluster.Kubectl.RunAsync("-n", ns, "label", "pod", relabelled, "app=foo", "--overwrite")).Ok();
        var after = await WaitRunningAsync(ns, "app=kubia", 3, except: [relabelled]);
        Assert.DoesNotContain(relabelled, after);
        var orphan = JsonNode.Parse((await cluster.Kubectl.RunAsync("-n", ns, "get", "pod", relabelled, "-o", "json")).Ok().StdOut)!;
        Assert.Equal("Running", orphan["status"].Str("phase"));
        Assert.Null(orphan["metadata"]?["ownerReferences"]?.AsArray().FirstOrDefault());
        await AssertContainersRunAsync(ns, [relabelled]);

        await DeleteNamespaceAsync(ns);
    }

    [Fact]
    public async Task Deployment_RolloutAndUndo_ReplaceTheContainers()
    {
        const string ns = "wl-deploy";
        await CreateNamespaceAsync(ns);
        await ApplyAsync(ns, $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: web
                    image: {{Image}}
                    command: ["sh", "-c", "echo v=$VERSION; sleep 3600"]
                    env: [{name: VERSION, value: "1"}]
            """);
        (await cluster.Kubectl.RunAsync("-n", ns, "rollout", "status", "deployment/web", "--timeout=120s")).Ok();
        var first = await WaitRunningAsync(ns, "app=web", 2);
        await AssertEnvAsync(ns, first, "VERSION=1");

        (await cluster.Kubectl.RunAsync("-n", ns, "set", "env", "deployment/web", "VERSION=2")).Ok();
        (await cluster.Kubectl.RunAsync("-n", ns, "rollout", "status", "deployment/web", "--timeout=120s")).Ok();
        var second = await WaitRunningAsync(ns, "app=web", 2, except: first);
        Assert.Empty(second.Intersect(first));
        await AssertEnvAsync(ns, second, "VERSION=2");

        (await cluster.Kubectl.RunAsync("-n", ns, "rollout", "undo", "deployment/web")).Ok();
        (await cluster.Kubectl.RunAsync("-n", ns, "rollout", "status", "deployment/web", "--timeout=120s")).Ok();
        var third = await WaitRunningAsync(ns, "app=web", 2, except: second);
        await AssertEnvAsync(ns, third, "VERSION=1");
        var history = (await cluster.Kubectl.RunAsync("-n", ns, "rollout", "history", "deployment/web")).Ok().StdOut;
        Assert.Contains("3", history);
        await DeleteNamespaceAsync(ns);
    }

    [Fact]
    public async Task Endpoints_FollowReadiness_OfRealProbes()
    {
        const string ns = "wl-ready";
        await CreateNamespaceAsync(ns);
        await ApplyAsync(ns, $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: gated
              labels: {app: gated}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: {{Image}}
                command: ["sh", "-c", "sleep 3600"]
                ports: [{containerPort: 8080, name: http}]
                readinessProbe:
                  exec: {command: ["cat", "/tmp/ready"]}
                  periodSeconds: 1
                  failureThreshold: 1
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: gated
            spec:
              selector: {app: gated}
              ports: [{port: 80, targetPort: http}]
            """);
        await WaitRunningAsync(ns, "app=gated", 1, ready: false);
        var ip = await cluster.EventuallyAsync(async () =>
        {
            var ep = await EndpointsAsync(ns, "gated");
            return ep?["subsets"]?[0]?["notReadyAddresses"]?[0].Str("ip");
        }, Timeout, "the unready pod among notReadyAddresses");
        Assert.Null((await EndpointsAsync(ns, "gated"))!["subsets"]![0]!["addresses"]);
        var ready = (await cluster.Kubectl.RunAsync("-n", ns, "get", "pod", "gated")).Ok().StdOut;
        Assert.Contains("0/1", ready);

        await ExecInContainerAsync(ns, "gated", "touch", "/tmp/ready");
        await cluster.EventuallyAsync(async () =>
        {
            var ep = await EndpointsAsync(ns, "gated");
            return ep?["subsets"]?[0]?["addresses"]?[0].Str("ip") == ip ? "ready" : null;
        }, Timeout, "the ready pod among addresses");
        var port = (await EndpointsAsync(ns, "gated"))!["subsets"]![0]!["ports"]![0]!;
        Assert.Equal(8080, port["port"]!.GetValue<int>());

        await ExecInContainerAsync(ns, "gated", "rm", "/tmp/ready");
        await cluster.EventuallyAsync(async () =>
        {
            var ep = await EndpointsAsync(ns, "gated");
            return ep?["subsets"]?[0]?["notReadyAddresses"]?[0].Str("ip") == ip ? "unready" : null;
        }, Timeout, "the pod back among notReadyAddresses");
        await DeleteNamespaceAsync(ns);
    }

    [Fact]
    public async Task DaemonSetAndJob_RunOnTheNode()
    {
        const string ns = "wl-batch";
        await CreateNamespaceAsync(ns);
        await ApplyAsync(ns, $$"""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: ssd-monitor
            spec:
              selector:
                matchLabels: {app: ssd-monitor}
              template:
                metadata:
                  labels: {app: ssd-monitor}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: {{Image}}
                    command: ["sleep", "3600"]
            ---
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: batch-job
            spec:
              completions: 2
              parallelism: 1
              template:
                metadata:
                  labels: {app: batch-job}
                spec:
                  restartPolicy: OnFailure
                  containers:
                  - name: main
                    image: {{Image}}
                    command: ["sh", "-c", "echo finished; exit 0"]
            """);
        var ds = await WaitRunningAsync(ns, "app=ssd-monitor", 1);
        var dsPod = JsonNode.Parse((await cluster.Kubectl.RunAsync("-n", ns, "get", "pod", ds[0], "-o", "json")).Ok().StdOut)!;
        Assert.Equal(AgentClusterFixture.NodeName, dsPod["spec"].Str("nodeName"));
        await AssertContainersRunAsync(ns, ds);

        (await cluster.Kubectl.RunAsync("-n", ns, "wait", "--for=condition=complete", "job/batch-job", "--timeout=120s")).Ok();
        var job = JsonNode.Parse((await cluster.Kubectl.RunAsync("-n", ns, "get", "job", "batch-job", "-o", "json")).Ok().StdOut)!;
        Assert.Equal(2, job["status"]!["succeeded"]!.GetValue<int>());
        var jobPods = JsonNode.Parse((await cluster.Kubectl.RunAsync("-n", ns, "get", "pods", "-l", "app=batch-job", "-o", "json")).Ok().StdOut)!["items"]!.AsArray();
        Assert.Equal(2, jobPods.Count);
        Assert.All(jobPods, p =>
        {
            Assert.Equal("Succeeded", p!["status"].Str("phase"));
            Assert.Equal(0, p["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["exitCode"]!.GetValue<int>());
        });
        await DeleteNamespaceAsync(ns);
    }

    [Fact]
    public async Task Container_SeesServiceVariables_ConfigMapAndSecretFiles()
    {
        const string ns = "wl-env";
        await CreateNamespaceAsync(ns);
        // Seed 003: the auth service exists before the users pod starts, so the pod gets AUTH_SERVICE_SERVICE_HOST.
        await ApplyAsync(ns, """
            apiVersion: v1
            kind: Service
            metadata:
              name: auth-service
            spec:
              selector: {app: auth}
              ports: [{name: http, protocol: TCP, port: 80, targetPort: 80}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              greeting: hello
              mode: fast
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: creds
            stringData:
              password: s3cret
            """);
        var clusterIp = (await cluster.Kubectl.RunAsync("-n", ns, "get", "svc", "auth-service", "-o", "jsonpath={.spec.clusterIP}")).Ok().StdOut;
        await ApplyAsync(ns, $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: users
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: users
                image: {{Image}}
                command: ["sh", "-c", "sleep 3600"]
                env:
                - name: AUTH_ADDRESS
                  value: localhost
                - name: GREETING
                  valueFrom:
                    configMapKeyRef: {name: settings, key: greeting}
                - name: MY_POD
                  valueFrom:
                    fieldRef: {fieldPath: metadata.name}
                volumeMounts:
                - {name: config, mountPath: /etc/config}
                - {name: secret, mountPath: /etc/secret, readOnly: true}
              volumes:
              - name: config
                configMap: {name: settings}
              - name: secret
                secret: {secretName: creds}
            """);
        await WaitRunningAsync(ns, "", 1, name: "users");
        var env = await ExecInContainerAsync(ns, "users", "env");
        Assert.Contains($"AUTH_SERVICE_SERVICE_HOST={clusterIp}", env);
        Assert.Contains("AUTH_SERVICE_SERVICE_PORT=80", env);
        Assert.Contains("AUTH_SERVICE_SERVICE_PORT_HTTP=80", env);
        Assert.Contains($"AUTH_SERVICE_PORT=tcp://{clusterIp}:80", env);
        Assert.Contains($"AUTH_SERVICE_PORT_80_TCP_ADDR={clusterIp}", env);
        Assert.Contains($"KUBERNETES_SERVICE_HOST={cluster.ServiceCidr[..^"0/16".Length]}1", env);
        Assert.Contains("AUTH_ADDRESS=localhost", env);
        Assert.Contains("GREETING=hello", env);
        Assert.Contains("MY_POD=users", env);
        Assert.Equal("fast", (await ExecInContainerAsync(ns, "users", "cat", "/etc/config/mode")).Trim());
        Assert.Equal("s3cret", (await ExecInContainerAsync(ns, "users", "cat", "/etc/secret/password")).Trim());

        // A ConfigMap edited while the pod runs shows up in its files.
        (await cluster.Kubectl.RunAsync("-n", ns, "patch", "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"mode\":\"slow\"}}")).Ok();
        await cluster.EventuallyAsync(async () => (await ExecInContainerAsync(ns, "users", "cat", "/etc/config/mode")).Trim() == "slow" ? "slow" : null,
            Timeout, "the refreshed ConfigMap file");
        await DeleteNamespaceAsync(ns);
    }

    // ---- helpers ----

    private Task CreateNamespaceAsync(string ns) => cluster.CreateNamespaceAsync(ns);

    private async Task DeleteNamespaceAsync(string ns) =>
        (await cluster.Kubectl.RunAsync("delete", "namespace", ns, "--wait=true", "--timeout=120s")).Ok();

    private Task ApplyAsync(string ns, string yaml) => cluster.ApplyAsync(yaml, ns);

    private async Task<JsonObject?> EndpointsAsync(string ns, string name)
    {
        var r = await cluster.Kubectl.RunAsync("-n", ns, "get", "endpoints", name, "-o", "json");
        return r.ExitCode == 0 ? JsonNode.Parse(r.StdOut)!.AsObject() : null;
    }

    /// <summary>Waits for <paramref name="count"/> Running (and Ready unless <paramref name="ready"/> is false) pods (none of them <paramref name="except"/>), by name.</summary>
    private Task<List<string>> WaitRunningAsync(string ns, string selector, int count, IEnumerable<string>? except = null, string? name = null, bool ready = true) =>
        cluster.WaitRunningPodsAsync(ns, selector, count, except, name, ready);

    private async Task AssertContainersRunAsync(string ns, IEnumerable<string> pods)
    {
        foreach (var pod in pods)
            Assert.Single(await cluster.AppContainerIdsAsync(ns, pod));
    }

    /// <summary>Runs a command in the pod's (only) container through the API server and the agent.</summary>
    private async Task<string> ExecInContainerAsync(string ns, string pod, params string[] command) =>
        (await cluster.Kubectl.RunAsync(["-n", ns, "exec", pod, "--", .. command])).Ok().StdOut;

    private async Task AssertEnvAsync(string ns, IEnumerable<string> pods, string expected)
    {
        foreach (var pod in pods)
            Assert.Contains(expected, await ExecInContainerAsync(ns, pod, "env"));
    }
}
