using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Agent.Pods;
using Orchestrator.Agent.Runtime;
using Orchestrator.Tests.Agent.Runtime;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The compose test runs an agent in the host's network namespace, like the other agents' tests on this host: it
/// runs alone, never beside another test of this collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ComposeCollection
{
    public const string Name = "Compose";
}

/// <summary>
/// The repository's <c>docker-compose.yml</c> with Debian's docker-compose 1.29 on the shared dockerd: the images are
/// built offline by <c>deploy/build-local-images.sh</c> (base from this host's packages and .NET runtime, apps
/// published here), then <c>docker-compose up -d</c> must give a node that kubectl sees Ready and that runs a pod,
/// and <c>docker-compose down -v</c> must stop it cleanly. Everything of this run has its own name (project, image
/// tag, API and kubelet ports, service and cluster CIDRs, node, pod network, address label, data dir) and is removed
/// at the end; the base image is kept as a cache (like the tests' busybox image).
/// </summary>
[Collection(ComposeCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ComposeEndToEndTests
{
    private const string ApiDataDir = "/var/lib/orchestrator-api";

    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly string _root = RepositoryRoot();

    [Fact]
    public async Task ComposeUp_RunsAReadyNodeThatRunsPods_AndDownCleansUp()
    {
        using var overall = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var ct = overall.Token;
        await DockerDaemon.EnsureRunningAsync(ct);
        var compose = await EnsureComposeAsync(ct);
        using var docker = new DockerClient(DockerEndpoint.Parse("unix://" + DockerDaemon.SocketPath));
        if (await docker.TryInspectImageAsync(DockerFixture.Image, ct) is null)
            await DockerFixture.ImportBusyboxAsync(docker, DockerFixture.Image, ct);

        var project = "orchcompose" + _id;
        var tag = "compose-test-" + _id;
        var nodeName = "compose-" + _id;
        var (serviceOctet, clusterOctet) = await FreeOctetsAsync();
        var serviceCidr = $"10.{serviceOctet}.0.0/16";
        var clusterCidr = $"10.{clusterOctet}.0.0/16";
        var addressLabel = "lo:c" + _id;
        var podNetwork = "compose-pods-" + _id;
        var ruleComment = "orchestrator-test-c" + _id;
        var apiPort = FreeTcpPort();
        var kubeletPort = FreeTcpPort();
        const string tlsSan = "orchestrator-compose-test";
        var work = Directory.CreateTempSubdirectory("compose-test-").FullName;
        var agentDataDir = Directory.CreateTempSubdirectory("compose-agent-").FullName;
        var kubeconfig = Path.Combine(work, "admin.kubeconfig");
        var kubectl = new Kubectl(kubeconfig, Path.Combine(work, "kubectl-cache"));

        // Settings of the agent that only a test needs (the main file stays what users run): an override file.
        var overridePath = Path.Combine(work, "test.override.yml");
        await File.WriteAllTextAsync(overridePath, $"""
            services:
              agent:
                environment:
                  PodNetwork__NetworkName: {podNetwork}
                  PodNetwork__BridgeName: cmp{_id}
                  NodeNetwork__AddressLabel: "{addressLabel}"
                  NodeNetwork__CleanupOnExit: "true"
                  NodeNetwork__RuleComment: {ruleComment}
                  Metrics__Bind: "127.0.0.1:0"
            """, ct);
        var env = new Dictionary<string, string>
        {
            ["ORCH_TAG"] = tag,
            ["ORCH_API_PORT"] = apiPort.ToString(),
            ["ORCH_TLS_SAN"] = tlsSan,
            ["ORCH_SERVICE_CIDR"] = serviceCidr,
            ["ORCH_CLUSTER_CIDR"] = clusterCidr,
            ["ORCH_NODE_NAME"] = nodeName,
            ["ORCH_KUBELET_PORT"] = kubeletPort.ToString(),
            ["ORCH_AGENT_DATA_DIR"] = agentDataDir,
        };
        string[] composeArgs = ["-p", project, "-f", Path.Combine(_root, "docker-compose.yml"), "-f", overridePath];
        Task<CommandResult> Compose(TimeSpan timeout, params string[] args) =>
            RunAsync(compose, [.. composeArgs, .. args], env, timeout, _root);

        var baseImage = $"orchestrator-test/compose-base:{Environment.Version}";
        var up = false;
        try
        {
            // 1. Images, offline: the script users run, under this run's tag (the base image is a cache).
            (await RunAsync(Path.Combine(_root, "deploy", "build-local-images.sh"), [],
                new Dictionary<string, string> { ["TAG"] = tag, ["LOCAL_BASE"] = baseImage }, TimeSpan.FromMinutes(15), _root)).Ok();

            // 2. docker-compose up -d, then the kubeconfig the API server wrote into its volume.
            up = true;
            (await Compose(TimeSpan.FromMinutes(3), "up", "-d")).Ok();
            await EventuallyAsync(async () =>
            {
                var r = await Compose(TimeSpan.FromSeconds(30), "exec", "-T", "api", "cat", $"{ApiDataDir}/admin.kubeconfig");
                if (r.ExitCode != 0 || !r.StdOut.Contains("certificate-authority-data")) return false;
                await File.WriteAllTextAsync(kubeconfig, r.StdOut, ct);
                return true;
            }, TimeSpan.FromSeconds(90), "admin.kubeconfig in the API server's volume", () => ComposeLogsAsync(Compose));
            Assert.Contains($"server: https://127.0.0.1:{apiPort}", await File.ReadAllTextAsync(kubeconfig, ct));

            // 3. The node is Ready (kubectl from the host, through the published port).
            await EventuallyAsync(async () =>
            {
                var r = await kubectl.RunAsync("get", "node", nodeName, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
                return r.ExitCode == 0 && r.StdOut == "True";
            }, TimeSpan.FromSeconds(120), $"node {nodeName} Ready", () => ComposeLogsAsync(Compose));
            // ORCH_TLS_SAN reached the serving certificate.
            (await kubectl.RunAsync("--tls-server-name", tlsSan, "get", "node", nodeName)).Ok();

            // 4. A pod runs on the host's dockerd and its log comes back through the API server (API container → the
            //    agent's kubelet port on the node's InternalIP).
            (await kubectl.RunWithInputAsync($$"""
                apiVersion: v1
                kind: Pod
                metadata: {name: hello}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: {{DockerFixture.Image}}
                    imagePullPolicy: Never
                    command: ["sh", "-c", "echo hello from compose; exec sleep 3600"]
                """, null, "apply", "-f", "-")).Ok();
            await EventuallyAsync(async () =>
            {
                var r = await kubectl.RunAsync("get", "pod", "hello", "-o", "jsonpath={.status.phase}/{.spec.nodeName}");
                return r.StdOut == $"Running/{nodeName}";
            }, TimeSpan.FromSeconds(120), "pod hello Running", () => ComposeLogsAsync(Compose));
            var containers = await docker.ListContainersByLabelAsync([$"{PodContainerLabels.Node}={nodeName}"], all: false, ct);
            Assert.True(containers.Count >= 2, $"sandbox and app container of pod hello on dockerd, got {containers.Count}");
            await EventuallyAsync(async () => (await kubectl.RunAsync("logs", "hello")).StdOut.Contains("hello from compose"),
                TimeSpan.FromSeconds(30), "kubectl logs hello", () => ComposeLogsAsync(Compose));

            // 5. The node's data path ran inside the agent container (NET_ADMIN, ip): the DNS address on the host's lo.
            var dnsAddress = $"10.{serviceOctet}.0.10/32";
            var lo = await HostCommand.RunAsync("ip", "-o", "-4", "addr", "show", "dev", "lo", "label", addressLabel);
            Assert.Contains(dnsAddress, lo.StdOut);
            // ... and its iptables rules (the image's iptables, on the host's backend) are in the host's tables.
            await EventuallyAsync(async () => (await OurRulesAsync(ruleComment)).Count > 0, TimeSpan.FromSeconds(30),
                $"iptables rules commented {ruleComment}", () => ComposeLogsAsync(Compose));

            // 6. docker-compose down -v: the agent stops gracefully (its addresses go), containers and volume removed.
            up = false;
            (await Compose(TimeSpan.FromMinutes(2), "down", "-v")).Ok();
            lo = await HostCommand.RunAsync("ip", "-o", "-4", "addr", "show", "dev", "lo", "label", addressLabel);
            Assert.True(lo.StdOut.Trim().Length == 0, "the agent left its addresses on lo:\n" + lo.StdOut);
            Assert.Empty(await OurRulesAsync(ruleComment));
            var ps = await RunAsync("docker", ["ps", "-a", "-q", "--filter", "label=com.docker.compose.project=" + project], null,
                TimeSpan.FromSeconds(30), _root);
            Assert.Equal("", ps.Ok().StdOut.Trim());
        }
        finally
        {
            using var cleanup = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            if (up) await Compose(TimeSpan.FromMinutes(2), "down", "-v", "--remove-orphans");
            // The pods' containers outlive the agent (as after any agent stop), and so does its pod network.
            foreach (var c in await docker.ListContainersByLabelAsync([$"{PodContainerLabels.Node}={nodeName}"], all: true, cleanup.Token))
                await Ignore(() => docker.RemoveContainerAsync(c.Id!, force: true, volumes: true, cleanup.Token));
            await Ignore(() => docker.RemoveNetworkAsync(podNetwork, cleanup.Token));
            // Whatever a crashed agent left in the host's network: our labelled addresses and our unreachable routes.
            var shown = await HostCommand.RunAsync("ip", "-o", "-4", "addr", "show", "dev", "lo", "label", addressLabel);
            foreach (Match m in Regex.Matches(shown.StdOut, @"inet (\S+)"))
                await HostCommand.RunAsync("ip", "addr", "del", m.Groups[1].Value, "dev", "lo");
            foreach (var (table, rule) in await OurRulesAsync(ruleComment))
                await HostCommand.RunAsync("iptables", ["-w", "-t", table, "-D", .. rule.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]]);
            await HostCommand.RunAsync("ip", "route", "del", "unreachable", serviceCidr);
            await HostCommand.RunAsync("ip", "route", "del", "unreachable", clusterCidr);
            foreach (var image in new[] { $"orchestrator/api:{tag}", $"orchestrator/agent:{tag}" })
                await Ignore(() => docker.RemoveImageAsync(image, force: true, cleanup.Token));
            Directory.Delete(agentDataDir, recursive: true);
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task Ignore(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (DockerApiException e) when (e.IsNotFound || e.IsConflict)
        {
        }
    }

    /// <summary>The host's iptables rules carrying <paramref name="comment"/>, as (table, "-A CHAIN ...") from iptables-save.</summary>
    private static async Task<List<(string Table, string Rule)>> OurRulesAsync(string comment)
    {
        var saved = (await HostCommand.RunAsync("iptables-save")).StdOut;
        var rules = new List<(string, string)>();
        var table = "";
        foreach (var line in saved.Split('\n'))
        {
            if (line.StartsWith('*')) table = line[1..].Trim();
            else if (line.StartsWith("-A ", StringComparison.Ordinal) && line.Contains("--comment " + comment + " ", StringComparison.Ordinal))
                rules.Add((table, line.Trim()));
        }
        return rules;
    }

    private static async Task<string> ComposeLogsAsync(Func<TimeSpan, string[], Task<CommandResult>> compose)
    {
        var logs = await compose(TimeSpan.FromSeconds(30), ["logs", "--no-color", "--tail", "80"]);
        return logs.StdOut + logs.StdErr;
    }

    /// <summary>
    /// docker-compose on PATH; installed with apt-get (Debian's 1.29) when missing — CI runs as root on a fresh machine —
    /// together with the packages deploy/build-local-images.sh copies into the base image.
    /// </summary>
    private static async Task<string> EnsureComposeAsync(CancellationToken ct)
    {
        string[] packages = ["iproute2", "iptables", "ca-certificates"];
        var missing = new List<string>();
        if (FindOnPath("docker-compose") is null) missing.Add("docker-compose");
        foreach (var p in packages)
            if ((await RunAsync("dpkg-query", ["-W", "-f=${Status}", p], null, TimeSpan.FromSeconds(30), "/")).StdOut.Trim() != "install ok installed")
                missing.Add(p);
        if (missing.Count > 0)
        {
            if (Environment.UserName != "root")
                throw new InvalidOperationException($"the compose test needs {string.Join(' ', missing)}: apt-get install -y {string.Join(' ', missing)}");
            await DockerDaemon.RunAsync("apt-get", ["update"], ct);
            await DockerDaemon.RunAsync("apt-get", ["install", "-y", .. missing], ct, ("DEBIAN_FRONTEND", "noninteractive"));
        }
        return FindOnPath("docker-compose") ?? throw new InvalidOperationException("docker-compose is not on PATH after apt-get install docker-compose");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/bin", "/usr/local/bin"])
            .Where(d => d.Length > 0).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>Two second octets for 10.X.0.0/16 CIDRs no address or route of this host uses yet.</summary>
    private static async Task<(int Service, int Cluster)> FreeOctetsAsync()
    {
        var used = (await HostCommand.RunAsync("ip", "-4", "route", "show", "table", "all")).StdOut
                   + (await HostCommand.RunAsync("ip", "-4", "addr")).StdOut;
        bool Free(int octet) => !Regex.IsMatch(used, $@"\b10\.{octet}\.");
        int Pick(int from, int to)
        {
            for (var i = 0; i < 200; i++)
            {
                var octet = Random.Shared.Next(from, to);
                if (Free(octet)) return octet;
            }
            throw new InvalidOperationException($"no free 10.X.0.0/16 with X in {from}-{to - 1}");
        }
        return (Pick(100, 160), Pick(160, 240));
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Orchestrator.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> probe, TimeSpan timeout, string what, Func<Task<string>> diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await probe())
        {
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}; docker-compose logs:\n{await diagnostics()}");
            await Task.Delay(500);
        }
    }

    private sealed record CommandResult(string Command, int ExitCode, string StdOut, string StdErr)
    {
        public CommandResult Ok() =>
            ExitCode == 0 ? this : throw new Xunit.Sdk.XunitException($"{Command} exited with {ExitCode}:\n{StdOut}\n{StdErr}");
    }

    /// <summary>Runs a program with extra environment variables and a time limit (killed with its children after it).</summary>
    private static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? env,
        TimeSpan timeout, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var command = file + " " + string.Join(' ', psi.ArgumentList);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.Append(e.Data).Append('\n'); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{command} did not finish within {timeout}:\n{stdout}\n{stderr}");
        }
        process.WaitForExit();
        return new CommandResult(command, process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
