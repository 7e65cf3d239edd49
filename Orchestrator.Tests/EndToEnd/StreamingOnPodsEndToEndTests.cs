using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// kubectl logs / exec / run -it --rm / port-forward against pods the agent runs itself (issue 4 item 5 on top of
/// the pod sync loop): the previous container's log after a restart, exit codes, an attached pod that ends and is
/// deleted, and a TCP request through port-forward to a server in the pod.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(AgentClusterCollection.Name)]
public sealed class StreamingOnPodsEndToEndTests(AgentClusterFixture cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private const string Image = AgentClusterFixture.Image;
    private const string Ns = "default";

    [Fact]
    public async Task Logs_CurrentAndPrevious_AfterARestart()
    {
        // Each run prints its run number (kept in an emptyDir) and exits 1 after the first, so it restarts once.
        await cluster.ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: st-logs}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: {{Image}}
                command: ["sh", "-c", "n=$(cat /data/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /data/n; echo run $n; echo err $n >&2; if [ $n = 1 ]; then exit 1; fi; sleep 3600"]
                volumeMounts: [{name: data, mountPath: /data}]
              volumes:
              - name: data
                emptyDir: {medium: ""}
            """);
        await cluster.EventuallyAsync(async () =>
        {
            var pod = await cluster.GetPodAsync("st-logs");
            var c = pod?["status"]?["containerStatuses"]?[0];
            return c?["restartCount"]?.GetValue<int>() >= 1 && c["state"]?["running"] != null ? "restarted" : null;
        }, Timeout, "one restart");

        var current = (await cluster.Kubectl.RunAsync("logs", "st-logs")).Ok().StdOut;
        Assert.Contains("run 2", current);
        Assert.Contains("err 2", current);
        Assert.DoesNotContain("run 1", current);
        var previous = (await cluster.Kubectl.RunAsync("logs", "st-logs", "--previous")).Ok().StdOut;
        Assert.Contains("run 1", previous);
        Assert.DoesNotContain("run 2", previous);
        var tail = (await cluster.Kubectl.RunAsync("logs", "st-logs", "-c", "app", "--tail=1")).Ok().StdOut;
        Assert.Single(tail.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await DeleteAsync("st-logs");
    }

    [Fact]
    public async Task Exec_ExitCodesAndStdin()
    {
        await cluster.ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: st-exec}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: {{Image}}
                command: ["sleep", "3600"]
            """);
        await cluster.WaitPodReadyAsync("st-exec");
        var ok = (await cluster.Kubectl.RunAsync("exec", "st-exec", "--", "sh", "-c", "echo out; echo err >&2")).Ok();
        Assert.Equal("out\n", ok.StdOut);
        Assert.Contains("err", ok.StdErr);
        var fail = await cluster.Kubectl.RunAsync("exec", "st-exec", "--", "sh", "-c", "exit 3");
        Assert.Equal(3, fail.ExitCode);
        var piped = (await cluster.Kubectl.RunWithInputAsync("one\ntwo\n", null, "exec", "-i", "st-exec", "--", "wc", "-l")).Ok();
        Assert.Equal("2", piped.StdOut.Trim());
        var missing = await cluster.Kubectl.RunAsync("exec", "st-exec", "--", "no-such-command");
        Assert.NotEqual(0, missing.ExitCode);
        await DeleteAsync("st-exec");
    }

    [Fact]
    public async Task RunInteractiveRm_PipedInput_PodEndsAndIsDeleted()
    {
        var r = await cluster.Kubectl.RunWithInputAsync("echo hello-from-stdin\nexit\n", null,
            "run", "-i", "--rm", "st-debug", "--image=" + Image, "--image-pull-policy=IfNotPresent", "--restart=Never",
            "--pod-running-timeout=2m", "--", "sh");
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Contains("hello-from-stdin", r.StdOut);
        Assert.Contains("deleted", r.Output);
        await cluster.EventuallyAsync(async () => await cluster.GetPodAsync("st-debug") == null ? "gone" : null, Timeout, "the debug pod deleted");
    }

    [Fact]
    public async Task PortForward_ReachesAServerInThePod()
    {
        await cluster.ApplyAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: st-pf}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: web
                image: {{Image}}
                command: ["sh", "-c", "mkdir -p /www && echo pf-ok > /www/index.html && httpd -f -p 8080 -h /www"]
                ports: [{containerPort: 8080}]
            """);
        await cluster.WaitPodReadyAsync("st-pf");
        var localPort = FreePort();
        using var pf = cluster.Kubectl.Start("port-forward", "pod/st-pf", $"{localPort}:8080");
        try
        {
            var body = await cluster.EventuallyAsync(async () =>
            {
                try
                {
                    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                    return await http.GetStringAsync($"http://127.0.0.1:{localPort}/");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return null;
                }
            }, Timeout, "a response through port-forward");
            Assert.Equal("pf-ok\n", body);
        }
        finally
        {
            pf.Kill(entireProcessTree: true);
        }
        await DeleteAsync("st-pf");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    private async Task DeleteAsync(string name) =>
        (await cluster.Kubectl.RunAsync("-n", Ns, "delete", "pod", name, "--wait=true", "--timeout=60s")).Ok();
}
