using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Faults around the agent (issue 4, "Bad input and faults"): the API server killed and restarted under a running
/// pod — the container keeps running and is not duplicated, the agent's watches come back, and pods created and
/// deleted afterwards are run and cleaned up; a pod with a taken hostPort or a missing ConfigMap gets a clear reason
/// while the agent keeps serving other pods.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(AgentClusterCollection.Name)]
public sealed class AgentFaultsEndToEndTests(AgentClusterFixture cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private const string Image = AgentClusterFixture.Image;

    [Fact]
    public async Task ApiServerRestart_RunningContainerKept_AgentConvergesAfterwards()
    {
        await cluster.ApplyAsync(Pod("fault-before"));
        await cluster.WaitPodReadyAsync("fault-before");
        var before = await cluster.AppContainerIdsAsync("default", "fault-before");
        Assert.Single(before);

        await cluster.Server.StopAsync();
        // A minute without a server would also do; a few seconds exercise the same path (watch fails, re-list).
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(before, await cluster.AppContainerIdsAsync("default", "fault-before"));
        await cluster.Server.StartAgainAsync();

        await cluster.ApplyAsync(Pod("fault-after"));
        await cluster.WaitPodReadyAsync("fault-after");
        // Same container, never restarted, never duplicated.
        Assert.Equal(before, await cluster.AppContainerIdsAsync("default", "fault-before"));
        var pod = await cluster.GetPodAsync("fault-before");
        Assert.Equal(0, pod!["status"]!["containerStatuses"]![0]!["restartCount"]!.GetValue<int>());
        var node = await cluster.EventuallyAsync(async () =>
        {
            var r = await cluster.Kubectl.RunAsync("get", "node", AgentClusterFixture.NodeName, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
            return r.StdOut == "True" ? r.StdOut : null;
        }, Timeout, "the node Ready again");
        Assert.Equal("True", node);

        (await cluster.Kubectl.RunAsync("delete", "pod", "fault-before", "fault-after", "--wait=true", "--timeout=60s")).Ok();
        await cluster.EventuallyAsync(async () => (await cluster.AppContainerIdsAsync("default", "fault-before")).Count == 0 ? "gone" : null, Timeout, "containers removed");
    }

    [Fact]
    public async Task MissingConfigMap_And_TakenHostPort_ClearReasons_OthersKeepRunning()
    {
        await cluster.ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: fault-cm}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: {{Image}}
                command: ["sleep", "3600"]
                env:
                - name: X
                  valueFrom:
                    configMapKeyRef: {name: no-such-config, key: x}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: fault-port-a}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: {{Image}}
                command: ["sleep", "3600"]
                ports: [{containerPort: 80, hostPort: 31999}]
            """);
        var waiting = await cluster.EventuallyAsync(async () =>
        {
            var w = (await cluster.GetPodAsync("fault-cm"))?["status"]?["containerStatuses"]?[0]?["state"]?["waiting"];
            return w?.Str("reason") == "CreateContainerConfigError" ? w : null;
        }, Timeout, "CreateContainerConfigError");
        Assert.Contains("no-such-config", waiting.Str("message"));
        await cluster.WaitPodReadyAsync("fault-port-a");

        // The scheduler keeps a second pod with the same hostPort off this node: it stays Pending with the reason.
        await cluster.ApplyAsync(Pod("fault-port-b", hostPort: 31999));
        var pending = await cluster.EventuallyAsync(async () =>
        {
            var c = (await cluster.GetPodAsync("fault-port-b"))?["status"]?["conditions"]?.AsArray().FirstOrDefault(x => x.Str("type") == "PodScheduled");
            return c?.Str("reason") == "Unschedulable" ? c : null;
        }, Timeout, "the second hostPort pod Unschedulable");
        Assert.Contains("port", pending.Str("message"));

        // The ConfigMap appears: the waiting pod starts without being recreated.
        (await cluster.Kubectl.RunAsync("create", "configmap", "no-such-config", "--from-literal=x=1")).Ok();
        await cluster.WaitPodReadyAsync("fault-cm");

        (await cluster.Kubectl.RunAsync("delete", "pod", "fault-cm", "fault-port-a", "fault-port-b", "--wait=true", "--timeout=60s")).Ok();
        (await cluster.Kubectl.RunAsync("delete", "configmap", "no-such-config")).Ok();
    }

    private static string Pod(string name, int? hostPort = null) =>
        $$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{name}}}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: app
            image: {{Image}}
            command: ["sleep", "3600"]
        {{(hostPort == null ? "" : "    ports: [{containerPort: 80, hostPort: " + hostPort + "}]\n")}}
        """;
}
