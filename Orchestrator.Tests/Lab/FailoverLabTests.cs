using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Lab;

/// <summary>
/// What a home lab must survive (issue 6): losing a node and getting it back, the API server restarting in the
/// middle of a rollout, an agent restart, a dockerd restart, and a rolling update under constant load. Bounds are
/// generous (CI shares two cores between all tests); bench/failover numbers are measured in docs/BENCHMARKS.md.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public sealed class FailoverLabTests(LabClusterFixture lab)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(150);

    private static string Web(string name, int replicas, string version = "1") => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{{name}}}
        spec:
          replicas: {{{replicas}}}
          strategy:
            rollingUpdate:
              maxSurge: 1
              maxUnavailable: 0
          selector:
            matchLabels:
              app: {{{name}}}
          template:
            metadata:
              labels:
                app: {{{name}}}
            spec:
              terminationGracePeriodSeconds: 5
              containers:
              - name: web
                image: {{{LabClusterFixture.Image}}}
                env:
                - name: VERSION
                  value: "{{{version}}}"
                command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
                readinessProbe:
                  periodSeconds: 1
                  tcpSocket:
                    port: 8080
                lifecycle:
                  preStop:
                    exec:
                      command: ["sleep", "2"]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {{{name}}}
        spec:
          selector:
            app: {{{name}}}
          ports:
          - port: 80
            targetPort: 8080
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {{{name}}}-headless
        spec:
          clusterIP: None
          selector:
            app: {{{name}}}
          ports:
          - port: 8080
        """;

    [Fact]
    public async Task NodeLoss_PodsMoveToOtherNodes_AndTheNodeRejoinsWithoutDuplicates()
    {
        const string ns = "lab-loss";
        await CreateNamespaceAsync(ns);
        await lab.ApplyAsync(Web("web", 6), ns);
        var before = await lab.ReadyPodsAsync(ns, "app=web", 6);
        var victim = lab.Nodes.First(n => before.Any(p => p.Node == n.Name));
        var survivor = lab.Nodes.First(n => n != victim);
        var victimPods = before.Where(p => p.Node == victim.Name).ToList();

        // The cable is cut and the agent dies with it; its containers keep running on its dockerd.
        var cut = Stopwatch.StartNew();
        await victim.SetLinkAsync(up: false);
        await victim.Agent!.DisposeAsync();
        await lab.EventuallyAsync(async () => await NodeReadyAsync(victim.Name) != "True" ? "not ready" : null, Timeout, $"{victim.Name} NotReady");
        var notReadyAfter = cut.Elapsed;

        // Meanwhile endpoints and DNS (asked on a surviving node) drop its pods.
        await lab.EventuallyAsync(async () =>
        {
            var ips = await DigAsync(survivor, $"web-headless.{ns}.svc.cluster.local");
            return ips.Count > 0 && !ips.Intersect(victimPods.Select(p => p.Ip)).Any() ? "dropped" : null;
        }, Timeout, "DNS without the lost node's pods");

        // Its pods are replaced on the other nodes.
        var after = await lab.ReadyPodsAsync(ns, "app=web", 6, p => p.Node != victim.Name);
        var movedAfter = cut.Elapsed;
        Assert.DoesNotContain(after, p => victimPods.Any(v => v.Name == p.Name));
        Assert.True(notReadyAfter < TimeSpan.FromSeconds(40), $"NotReady after {notReadyAfter}");
        Assert.True(movedAfter < TimeSpan.FromSeconds(90), $"pods moved after {movedAfter}");

        // The node comes back: it rejoins, its stale containers go, nothing runs twice.
        await victim.SetLinkAsync(up: true);
        lab.StartAgent(victim);
        await lab.WaitNodeReadyAsync(victim);
        await lab.EventuallyAsync(async () => (await victim.PodsWithRunningContainersAsync(ns)).Intersect(victimPods.Select(p => p.Name)).Any() ? null : "reaped",
            Timeout, "the returning node's stale containers removed");
        var current = await lab.ReadyPodsAsync(ns, "app=web", 6);
        var running = new List<string>();
        foreach (var node in lab.Nodes) running.AddRange(await node.PodsWithRunningContainersAsync(ns));
        Assert.Equal(current.Select(p => p.Name).OrderBy(n => n), running.OrderBy(n => n));
    }

    [Fact]
    public async Task ApiServerRestartMidRollout_TheRolloutCompletes_AgentAndDockerdRestartsKeepPods()
    {
        const string ns = "lab-restarts";
        await CreateNamespaceAsync(ns);
        await lab.ApplyAsync(Web("web", 4), ns);
        await lab.ReadyPodsAsync(ns, "app=web", 4);

        // A rollout, and the API server is killed in the middle of it and comes back on the same data.
        await lab.ApplyAsync(Web("web", 4, version: "2"), ns);
        await Task.Delay(1500);
        await lab.Server.StopAsync();
        await Task.Delay(2000);
        await lab.Server.StartAgainAsync();
        var status = await lab.Kubectl.RunAsync("-n", ns, "rollout", "status", "deployment/web", "--timeout=150s");
        Assert.True(status.ExitCode == 0, status.Output);
        var rolled = await lab.ReadyPodsAsync(ns, "app=web", 4);
        foreach (var pod in rolled)
        {
            var env = (await lab.Kubectl.RunAsync("-n", ns, "get", "pod", pod.Name, "-o", "jsonpath={.spec.containers[0].env[0].value}")).Ok().StdOut;
            Assert.Equal("2", env);
        }

        // An agent restart restarts no container.
        var node = lab.Nodes.First(n => rolled.Any(p => p.Node == n.Name));
        var onNode = rolled.Where(p => p.Node == node.Name).ToList();
        var containers = new Dictionary<string, List<string>>();
        foreach (var p in onNode) containers[p.Name] = await node.RunningAppContainersAsync(ns, p.Name);
        await node.StopAgentAsync();
        lab.StartAgent(node);
        await lab.WaitNodeReadyAsync(node);
        await Task.Delay(5000); // a few sync rounds of the restarted agent
        foreach (var p in onNode)
        {
            Assert.Equal(containers[p.Name], await node.RunningAppContainersAsync(ns, p.Name));
            var restarts = (await lab.Kubectl.RunAsync("-n", ns, "get", "pod", p.Name, "-o", "jsonpath={.status.containerStatuses[0].restartCount}")).Ok().StdOut;
            Assert.Equal("0", restarts);
        }

        // A dockerd restart stops the node's containers; the agent brings its pods back.
        await node.RestartDockerdAsync();
        await lab.EventuallyAsync(async () =>
        {
            foreach (var p in onNode)
                if ((await node.RunningAppContainersAsync(ns, p.Name)).Count != 1) return null;
            return "back";
        }, Timeout, "pods running again after the dockerd restart");
        await lab.ReadyPodsAsync(ns, "app=web", 4);
    }

    [Fact]
    public async Task RollingUpdateUnderLoad_FailsNoRequest()
    {
        const string ns = "lab-rollout";
        await CreateNamespaceAsync(ns);
        await lab.ApplyAsync(Web("web", 3), ns);
        await lab.ReadyPodsAsync(ns, "app=web", 3);
        var ip = (await lab.Kubectl.RunAsync("-n", ns, "get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}")).Ok().StdOut;
        var client = lab.Nodes[0];
        await lab.EventuallyAsync(async () => (await client.ExecAsync("curl", "-s", "--max-time", "3", $"http://{ip}/")).ExitCode == 0 ? "up" : null,
            Timeout, "the service answering");

        // Constant load from a node through the cluster IP: one new connection every 20 ms, until told to stop.
        var stopFile = Path.Combine(Path.GetTempPath(), $"lab-rollout-stop-{Guid.NewGuid():N}");
        var load = client.ExecAsync(TimeSpan.FromMinutes(4), "sh", "-c",
            $"ok=0; fail=0; while [ ! -e {stopFile} ]; do if curl -s -o /dev/null --max-time 3 http://{ip}/; then ok=$((ok+1)); else fail=$((fail+1)); fi; sleep 0.02; done; echo \"$ok $fail\"");
        await Task.Delay(1000);
        await lab.ApplyAsync(Web("web", 3, version: "2"), ns);
        var status = await lab.Kubectl.RunAsync("-n", ns, "rollout", "status", "deployment/web", "--timeout=150s");
        await Task.Delay(2000);
        await File.WriteAllTextAsync(stopFile, "");
        var counts = (await load).Ok().StdOut.Trim().Split(' ');
        File.Delete(stopFile);

        Assert.True(status.ExitCode == 0, status.Output);
        Assert.True(int.Parse(counts[0]) > 50, $"only {counts[0]} requests succeeded");
        Assert.Equal("0", counts[1]);
    }

    private async Task CreateNamespaceAsync(string ns)
    {
        await lab.Kubectl.RunAsync("delete", "namespace", ns, "--ignore-not-found", "--wait=true");
        (await lab.Kubectl.RunAsync("create", "namespace", ns)).Ok();
    }

    private async Task<string> NodeReadyAsync(string node) =>
        (await lab.Kubectl.RunAsync("get", "node", node, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).StdOut;

    private static async Task<List<string>> DigAsync(LabNode node, string name)
    {
        var r = await node.ExecAsync("dig", "@10.96.0.10", "+short", "+tries=2", "+time=2", name);
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}
