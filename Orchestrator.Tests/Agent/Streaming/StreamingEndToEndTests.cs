using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchestrator.Agent.Pods;

namespace Orchestrator.Tests.Agent.Streaming;

/// <summary>
/// Issue 4 item 5 end to end: kubectl logs, exec and attach go through the real API server to the real agent's
/// streaming port and on to containers in the real dockerd.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class StreamingEndToEndTests(StreamingClusterFixture cluster) : IClassFixture<StreamingClusterFixture>
{
    [Fact]
    public async Task Logs_TailSinceTimestampsPreviousContainerAndFollowToTheEnd()
    {
        const string pod = "logs-pod";
        var uid = await cluster.CreatePodAsync(pod, StreamingClusterFixture.Container("main") + StreamingClusterFixture.Container("side"));
        try
        {
            // Attempt 0 of "main" ran and failed; attempt 1 runs now: a line on stderr, five on stdout, a pause, a late line, exit.
            // (The order of lines across stdout and stderr is only defined when time passes between them.)
            var old = await cluster.RunContainerAsync(pod, uid, "main", 0, ["sh", "-c", "echo old-1; echo old-2; exit 1"]);
            await cluster.Docker.WaitContainerAsync(old, Orchestrator.Agent.Runtime.WaitCondition.NotRunning, CancellationToken.None);
            await cluster.RunContainerAsync(pod, uid, "main", 1,
                ["sh", "-c", "echo err-line >&2; sleep 0.5; for i in 1 2 3 4 5; do echo line$i; done; sleep 6; echo late; sleep 1"]);
            await cluster.RunContainerAsync(pod, uid, "side", 0, ["sh", "-c", "echo from-side; sleep 30"]);
            await cluster.SetRunningAsync(pod);
            var follow = cluster.Kubectl.RunAsync("logs", "-f", pod, "-c", "main");
            await Task.Delay(1000);

            var tail = (await cluster.Kubectl.RunAsync("logs", pod, "-c", "main", "--tail=2")).Ok();
            Assert.Equal("line4\nline5\n", tail.StdOut);

            var stamped = (await cluster.Kubectl.RunAsync("logs", pod, "-c", "main", "--timestamps")).Ok();
            Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line1$", RegexOptions.Multiline), stamped.StdOut);

            var previous = (await cluster.Kubectl.RunAsync("logs", pod, "-c", "main", "--previous")).Ok();
            Assert.Equal("old-1\nold-2\n", previous.StdOut);

            var side = (await cluster.Kubectl.RunAsync("logs", pod, "-c", "side")).Ok();
            Assert.Equal("from-side\n", side.StdOut);

            // -f ends, rc 0, when the container exits, with everything it wrote.
            var followed = (await follow).Ok();
            Assert.Equal("err-line\nline1\nline2\nline3\nline4\nline5\nlate\n", followed.StdOut);

            // "late" is about a second old, the rest about seven.
            var recent = (await cluster.Kubectl.RunAsync("logs", pod, "-c", "main", "--since=4s")).Ok();
            Assert.Equal("late\n", recent.StdOut);

            var limited = (await cluster.Kubectl.RunAsync("logs", pod, "-c", "main", "--limit-bytes=8")).Ok();
            Assert.Equal("err-line", limited.StdOut);

            var unknown = await cluster.Kubectl.RunAsync("logs", pod, "-c", "nope");
            Assert.NotEqual(0, unknown.ExitCode);
            Assert.Contains("container nope is not valid for pod logs-pod", unknown.StdErr);

            // Without a container name a two-container pod is ambiguous (kubectl always sends one; curl users may not).
            using var http = cluster.Server.CreateHttpClient();
            var ambiguous = await http.GetAsync($"/api/v1/namespaces/default/pods/{pod}/log");
            Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
            Assert.Contains("a container name must be specified for pod logs-pod, choose one of: [main side]", await ambiguous.Content.ReadAsStringAsync());
        }
        finally
        {
            await cluster.DeletePodAsync(pod);
        }
    }

    [Fact]
    public async Task Exec_ExitCodesStreamsStdinAndTerminal()
    {
        const string pod = "exec-pod";
        var uid = await cluster.CreatePodAsync(pod, StreamingClusterFixture.Container("main"));
        try
        {
            await cluster.RunContainerAsync(pod, uid, "main", 0, ["sleep", "3600"]);
            await cluster.SetRunningAsync(pod);

            var failed = await cluster.Kubectl.RunAsync("exec", pod, "--", "sh", "-c", "exit 3");
            Assert.Equal(3, failed.ExitCode);
            Assert.Contains("command terminated with exit code 3", failed.StdErr);

            var split = (await cluster.Kubectl.RunAsync("exec", pod, "--", "sh", "-c", "echo out; echo err >&2")).Ok();
            Assert.Equal("out\n", split.StdOut);
            Assert.Contains("err", split.StdErr);

            var piped = (await cluster.Kubectl.RunWithInputAsync("hello\nworld\n", null, "exec", "-i", pod, "--", "tr", "a-z", "A-Z")).Ok();
            Assert.Equal("HELLO\nWORLD\n", piped.StdOut);

            // A real terminal: under a pty of 40x100 kubectl sends its size, and the shell inside sees a tty of that size
            // (once the resize has arrived: it travels beside the command, hence the pause).
            var script = $"stty rows 40 cols 100; /usr/bin/kubectl --kubeconfig {cluster.Server.KubeconfigPath} exec -it {pod} -- sh -c 'sleep 1; tty; stty size'";
            var terminal = await RunAsync("script", "-qec", script, "/dev/null");
            Assert.Contains("/dev/pts/", terminal);
            Assert.Contains("40 100", terminal);

            var missing = await cluster.Kubectl.RunAsync("exec", pod, "--", "no-such-command");
            Assert.NotEqual(0, missing.ExitCode);
        }
        finally
        {
            await cluster.DeletePodAsync(pod);
        }
    }

    [Fact]
    public async Task Attach_PipedInputReachesTheContainerAndItsEndEndsTheSession()
    {
        const string pod = "attach-pod";
        var uid = await cluster.CreatePodAsync(pod, StreamingClusterFixture.Container("main", "stdin: true\n    stdinOnce: true"));
        try
        {
            await cluster.RunContainerAsync(pod, uid, "main", 0, ["sh"], openStdin: true);
            await cluster.SetRunningAsync(pod);
            var attached = (await cluster.Kubectl.RunWithInputAsync("echo attached-$((1+2))\n", null, "attach", "-i", pod)).Ok();
            Assert.Contains("attached-3", attached.StdOut);
        }
        finally
        {
            await cluster.DeletePodAsync(pod);
        }
    }

    [Fact]
    public async Task RunInteractiveRemove_AttachesWithPipedInputAndDeletesThePod()
    {
        const string pod = "streaming-debug";
        // Play the pod sync loop's part for this one pod: when kubectl has created it, run its container and report
        // Running; when the container ends, report Succeeded.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var kubelet = Task.Run(async () =>
        {
            string? uid = null;
            while (uid == null)
            {
                var r = await cluster.Kubectl.RunAsync("get", "pod", pod, "-o", "jsonpath={.metadata.uid}/{.spec.nodeName}");
                if (r.ExitCode == 0 && r.StdOut.EndsWith("/" + StreamingClusterFixture.NodeName, StringComparison.Ordinal)) uid = r.StdOut.Split('/')[0];
                else await Task.Delay(200, stop.Token);
            }
            var spec = JsonNode.Parse((await cluster.Kubectl.RunAsync("get", "pod", pod, "-o", "json")).Ok().StdOut)!["spec"]!["containers"]![0]!;
            var tty = spec["tty"]?.GetValue<bool>() ?? false;
            var args = spec["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
            var id = await cluster.RunContainerAsync(pod, uid, pod, 0, args, tty: tty, openStdin: true);
            // kubectl run waits for Running and Ready before it attaches.
            await cluster.SetPodStatusAsync(pod, new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            });
            var exit = await cluster.Docker.WaitContainerAsync(id, Orchestrator.Agent.Runtime.WaitCondition.NotRunning, stop.Token);
            await cluster.SetPodStatusAsync(pod, new JsonObject
            {
                ["phase"] = exit == 0 ? "Succeeded" : "Failed",
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = pod, ["image"] = StreamingClusterFixture.Image, ["imageID"] = "", ["ready"] = false, ["restartCount"] = 0,
                    ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = exit, ["reason"] = exit == 0 ? "Completed" : "Error" } },
                }),
            });
        }, stop.Token);
        try
        {
            var run = await cluster.Kubectl.RunWithInputAsync("echo from-run-$((20+22))\nexit\n", null,
                "run", "-it", "--rm", pod, $"--image={StreamingClusterFixture.Image}", "--restart=Never", "--", "sh");
            Assert.True(run.ExitCode == 0, $"kubectl run failed ({run.ExitCode}):\n{run.StdOut}\n{run.StdErr}");
            Assert.Contains("from-run-42", run.StdOut);
            Assert.Contains($"pod \"{pod}\" deleted", run.StdOut + run.StdErr);
            await kubelet;
        }
        finally
        {
            await stop.CancelAsync();
            await cluster.DeletePodAsync(pod);
        }
    }

    [Fact]
    public async Task PodOnAnUnknownOrUnreachableNode_GetsAClearError()
    {
        const string ghost = "ghost-pod";
        const string lonely = "lonely-pod";
        await cluster.CreatePodAsync(ghost, StreamingClusterFixture.Container("main"), node: "ghost-node");
        await cluster.SetRunningAsync(ghost);
        // A node that exists but whose agent port nobody listens on.
        var manifest = Orchestrator.Tests.EndToEnd.ClusterFixture.Manifest("apiVersion: v1\nkind: Node\nmetadata:\n  name: streaming-unreachable-node\n");
        (await cluster.Kubectl.RunAsync("apply", "-f", manifest)).Ok();
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" }),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 1 } },
            },
        };
        (await cluster.Kubectl.RunAsync("patch", "node", "streaming-unreachable-node", "--subresource=status", "--type=merge", "-p", status.ToJsonString())).Ok();
        await cluster.CreatePodAsync(lonely, StreamingClusterFixture.Container("main"), node: "streaming-unreachable-node");
        await cluster.SetRunningAsync(lonely);
        try
        {
            var logs = await cluster.Kubectl.RunAsync("logs", ghost);
            Assert.NotEqual(0, logs.ExitCode);
            Assert.Contains("nodes \"ghost-node\" not found", logs.StdErr);

            var exec = await cluster.Kubectl.RunAsync("exec", ghost, "--", "true");
            Assert.NotEqual(0, exec.ExitCode);
            Assert.Contains("ghost-node", exec.StdErr);

            var unreachable = await cluster.Kubectl.RunAsync("logs", lonely);
            Assert.NotEqual(0, unreachable.ExitCode);
            Assert.Contains("ServiceUnavailable", unreachable.StdErr);
            Assert.Contains("unreachable", unreachable.StdErr);
        }
        finally
        {
            await cluster.DeletePodAsync(ghost);
            await cluster.DeletePodAsync(lonely);
            await cluster.Kubectl.RunAsync("delete", "node", "streaming-unreachable-node", "--ignore-not-found");
        }
    }

    [Fact]
    public async Task AgentPort_RefusesCallersWithoutTheApiServerCertificate()
    {
        const string pod = "secret-pod";
        var uid = await cluster.CreatePodAsync(pod, StreamingClusterFixture.Container("main"));
        try
        {
            await cluster.RunContainerAsync(pod, uid, "main", 0, ["sh", "-c", "echo top-secret; sleep 30"]);
            var url = $"https://127.0.0.1:{cluster.KubeletPort}/containerLogs/default/{pod}/main";

            // No client certificate at all: the TLS handshake fails, nothing is served.
            using (var anonymous = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } }))
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => anonymous.GetStringAsync(url));

            // A certificate from another CA with the right name: refused as well.
            using var foreignKey = System.Security.Cryptography.ECDsa.Create();
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                "CN=orchestrator-apiserver-kubelet-client", foreignKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension(
                [new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")], false));
            using var foreign = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
            using var forged = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
                foreign.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
            using (var impostor = new HttpClient(new SocketsHttpHandler
                   {
                       SslOptions =
                       {
                           RemoteCertificateValidationCallback = (_, _, _, _) => true,
                           ClientCertificates = [forged],
                           LocalCertificateSelectionCallback = (_, _, _, _, _) => forged,
                       },
                   }))
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => impostor.GetStringAsync(url));

            // Through the API server the same logs are served (so the refusals above are about the caller).
            await cluster.SetRunningAsync(pod);
            Assert.Equal("top-secret\n", (await cluster.Kubectl.RunAsync("logs", pod)).Ok().StdOut);
        }
        finally
        {
            await cluster.DeletePodAsync(pod);
        }
    }

    [Fact]
    public async Task PortForward_CarriesRequestsToThePodAndReportsAClosedPort()
    {
        const string pod = "forward-pod";
        var uid = await cluster.CreatePodAsync(pod, StreamingClusterFixture.Container("web"));
        try
        {
            // As the sync loop makes pods: a sandbox owns the network namespace, the app container joins it.
            var sandbox = await cluster.RunContainerAsync(pod, uid, PodContainerLabels.SandboxContainerName, 0, ["sleep", "3600"],
                kind: PodContainerLabels.SandboxKind);
            await cluster.RunContainerAsync(pod, uid, "web", 0,
                ["sh", "-c", "echo hello-from-pod > /www/index.html; head -c 300000 /dev/zero | tr '\\0' x > /www/big.txt; httpd -f -p 8080 -h /www"],
                sandboxId: sandbox);
            await cluster.SetRunningAsync(pod);

            var forward = cluster.Kubectl.Start("port-forward", $"pod/{pod}", ":8080", ":9");
            try
            {
                var ports = new List<int>();
                while (ports.Count < 2)
                {
                    var line = await forward.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                               ?? throw new Xunit.Sdk.XunitException("kubectl port-forward ended: " + await forward.StandardError.ReadToEndAsync());
                    var m = Regex.Match(line, @"^Forwarding from 127\.0\.0\.1:(\d+) -> ");
                    if (m.Success) ports.Add(int.Parse(m.Groups[1].Value));
                }
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
                Assert.Equal("hello-from-pod\n", await http.GetStringAsync($"http://127.0.0.1:{ports[0]}/index.html"));
                // Several round trips and a body larger than one frame or message, in parallel.
                var bodies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => http.GetStringAsync($"http://127.0.0.1:{ports[0]}/big.txt")));
                Assert.All(bodies, b => Assert.Equal(new string('x', 300000), b));

                // Nothing listens on port 9 in the pod: the connection is dropped and kubectl reports why.
                using var closed = new System.Net.Sockets.TcpClient();
                await closed.ConnectAsync(System.Net.IPAddress.Loopback, ports[1]);
                var buffer = new byte[16];
                var read = await closed.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
                Assert.Equal(0, read);
                var errors = new System.Text.StringBuilder();
                var deadline = DateTime.UtcNow.AddSeconds(20);
                while (!errors.ToString().Contains("error forwarding port 9") && DateTime.UtcNow < deadline)
                {
                    var line = await forward.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
                    if (line == null) break;
                    errors.AppendLine(line);
                }
                Assert.Contains("error forwarding port 9", errors.ToString());
            }
            finally
            {
                if (!forward.HasExited) forward.Kill(entireProcessTree: true);
                await forward.WaitForExitAsync();
                forward.Dispose();
            }
        }
        finally
        {
            await cluster.DeletePodAsync(pod);
        }
    }

    [Fact]
    public async Task ServingCertificate_IsIssuedOnlyToANodeAndOnlyForItsOwnName()
    {
        var token = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(cluster.AgentDataDir, "node-credential.json")))!["token"]!.GetValue<string>();
        using var key = System.Security.Cryptography.ECDsa.Create();
        // The CSR asks for another node's name: the certificate is for the caller's anyway.
        var csr = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=system:node:someone-else", key, System.Security.Cryptography.HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var body = new JsonObject { ["csr"] = csr }.ToJsonString();

        using var asNode = cluster.Server.CreateHttpClient(authenticated: false);
        asNode.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var issued = await asNode.PostAsync("/node-serving-certificate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var pem = JsonNode.Parse(await issued.Content.ReadAsStringAsync())!["certificate"]!.GetValue<string>();
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        Assert.Equal("system:node:" + StreamingClusterFixture.NodeName,
            certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(cluster.Server.DataDir, "tls", "ca.crt")));
        Assert.True(Orchestrator.Core.Client.ClusterCaTrust.Verify(ca, certificate, new System.Security.Cryptography.X509Certificates.X509Chain()));

        // A node credential may not read logs or run commands through the API server (any pod, on any node).
        var nodeLogs = await asNode.GetAsync("/api/v1/namespaces/default/pods/whatever/log");
        Assert.Equal(HttpStatusCode.Forbidden, nodeLogs.StatusCode);

        var garbage = await asNode.PostAsync("/node-serving-certificate", new StringContent("{\"csr\":\"nonsense\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);

        // The admin is not a node; nobody else gets in at all.
        using var admin = cluster.Server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync("/node-serving-certificate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        using var anonymous = cluster.Server.CreateHttpClient(authenticated: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/node-serving-certificate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return await stdout + await stderr;
    }
}
