using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Agent.Node;

/// <summary>
/// Issue 4 item 2 end to end: the real agent process joins a real API server with node-token, registers its Node
/// from the local dockerd's facts, renews its Lease, refuses a wrong token, and reuses its credential on restart.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AgentNodeEndToEndTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    private const string NodeName = "agent-e2e";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("orch-agent-").FullName;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await DockerDaemon.EnsureRunningAsync(cts.Token);
    }

    public async Task DisposeAsync()
    {
        await cluster.Kubectl.RunAsync("delete", "node", NodeName, "--ignore-not-found");
        Directory.Delete(_dataDir, recursive: true);
    }

    private string[] AgentArgs(string tokenFile) =>
    [
        "--server", cluster.Server.BaseUrl, "--token-file", tokenFile, "--node-name", NodeName, "--node-ip", "127.0.0.1",
        "--data-dir", _dataDir, "--lease-interval", "1s",
    ];

    [Fact]
    public async Task Agent_JoinsRegistersNodeRenewsLeaseAndReusesCredential()
    {
        var tokenFile = Path.Combine(cluster.Server.DataDir, "node-token");

        // 1. A token whose CA hash is not this server's CA: the agent stops at once and says why.
        var wrongToken = Path.Combine(_dataDir, "wrong-token");
        await File.WriteAllTextAsync(wrongToken, "K10" + new string('0', 64) + "::node:whatever\n");
        await using (var wrong = AgentProcess.Start(AgentArgs(wrongToken)))
        {
            Assert.True(await wrong.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the agent kept running with a wrong token:\n" + wrong.Log);
            Assert.NotEqual(0, wrong.ExitCode);
            Assert.Contains("cannot join the cluster", wrong.Log);
            Assert.Contains("expects 0000000000", wrong.Log);
        }
        Assert.False(File.Exists(Path.Combine(_dataDir, "node-credential.json")));

        // 2. The right token: the node registers and is Ready, described by the local Docker engine.
        string credential;
        await using (var agent = AgentProcess.Start(AgentArgs(tokenFile)))
        {
            var wide = await EventuallyAsync(agent, async () =>
            {
                var r = await cluster.Kubectl.RunAsync("get", "nodes", "-o", "wide");
                var line = r.StdOut.Split('\n').FirstOrDefault(l => l.StartsWith(NodeName + " ", StringComparison.Ordinal));
                return line != null && line.Contains(" Ready ") ? line : null;
            });
            Assert.Contains("v1.32.0-orchestrator", wide);
            Assert.Contains("docker://", wide);
            Assert.Contains("127.0.0.1", wide);

            var node = JsonNode.Parse((await cluster.Kubectl.RunAsync("get", "node", NodeName, "-o", "json")).Ok().StdOut)!;
            Assert.Equal("linux", node["metadata"]!["labels"]!["kubernetes.io/os"]!.GetValue<string>());
            Assert.Contains(node["metadata"]!["labels"]!["kubernetes.io/arch"]!.GetValue<string>(), new[] { "amd64", "arm64" });
            Assert.Equal("110", node["status"]!["capacity"]!["pods"]!.GetValue<string>());
            Assert.EndsWith("Ki", node["status"]!["capacity"]!["memory"]!.GetValue<string>());
            Assert.Equal(Environment.ProcessorCount.ToString(), node["status"]!["capacity"]!["cpu"]!.GetValue<string>());
            var ready = node["status"]!["conditions"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "Ready")!;
            Assert.Equal("KubeletReady", ready["reason"]!.GetValue<string>());

            // 3. The Lease is owned by the Node and its renewTime keeps advancing.
            var first = await LeaseRenewTimeAsync();
            await EventuallyAsync(agent, async () => await LeaseRenewTimeAsync() is { } t && string.CompareOrdinal(t, first) > 0 ? t : null);
            var lease = JsonNode.Parse((await cluster.Kubectl.RunAsync("get", "lease", "-n", "kube-node-lease", NodeName, "-o", "json")).Ok().StdOut)!;
            Assert.Equal(NodeName, lease["spec"]!["holderIdentity"]!.GetValue<string>());
            Assert.Equal(40, lease["spec"]!["leaseDurationSeconds"]!.GetValue<int>());
            Assert.Matches(@"\.\d{6}Z$", lease["spec"]!["renewTime"]!.GetValue<string>());
            Assert.Equal(node["metadata"]!["uid"]!.GetValue<string>(), lease["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>());

            // The credential is kept private in the data directory.
            var credentialPath = Path.Combine(_dataDir, "node-credential.json");
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentialPath));
            credential = await File.ReadAllTextAsync(credentialPath);

            // SIGTERM stops the host gracefully.
            await agent.TerminateAsync();
            Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the agent ignored SIGTERM:\n" + agent.Log);
            Assert.Equal(0, agent.ExitCode);
        }

        // 4. A restart reuses the stored credential and carries on renewing.
        await using (var again = AgentProcess.Start(AgentArgs(tokenFile)))
        {
            var before = await LeaseRenewTimeAsync();
            await EventuallyAsync(again, async () => await LeaseRenewTimeAsync() is { } t && string.CompareOrdinal(t, before) > 0 ? t : null);
            Assert.Contains("Reusing the stored node credential", again.Log);
            Assert.Equal(credential, await File.ReadAllTextAsync(Path.Combine(_dataDir, "node-credential.json")));
        }

        // 5. A stored credential the server no longer accepts (401) makes the agent join again with the token.
        var stale = JsonNode.Parse(credential)!;
        stale["token"] = "revoked-token";
        await File.WriteAllTextAsync(Path.Combine(_dataDir, "node-credential.json"), stale.ToJsonString());
        await using (var rejoined = AgentProcess.Start(AgentArgs(tokenFile)))
        {
            var before = await LeaseRenewTimeAsync();
            await EventuallyAsync(rejoined, async () => await LeaseRenewTimeAsync() is { } t && string.CompareOrdinal(t, before) > 0 ? t : null);
            Assert.Contains("joining again", rejoined.Log);
            Assert.Equal(credential, await File.ReadAllTextAsync(Path.Combine(_dataDir, "node-credential.json")));
        }

        // 6. Docker unreachable: the agent keeps running and heartbeating, and reports Ready=False with the reason.
        await using (var noDocker = AgentProcess.Start([.. AgentArgs(tokenFile), "--docker-host", "unix://" + Path.Combine(_dataDir, "no-docker.sock")]))
        {
            var reason = await EventuallyAsync(noDocker, async () =>
            {
                var r = await cluster.Kubectl.RunAsync("get", "node", NodeName, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}/{.status.conditions[?(@.type==\"Ready\")].reason}");
                return r.StdOut.StartsWith("False/", StringComparison.Ordinal) ? r.StdOut : null;
            });
            Assert.Equal("False/ContainerRuntimeUnreachable", reason);
            var before = await LeaseRenewTimeAsync();
            await EventuallyAsync(noDocker, async () => await LeaseRenewTimeAsync() is { } t && string.CompareOrdinal(t, before) > 0 ? t : null);
        }
    }

    private async Task<string?> LeaseRenewTimeAsync()
    {
        var r = await cluster.Kubectl.RunAsync("get", "lease", "-n", "kube-node-lease", NodeName, "-o", "jsonpath={.spec.renewTime}");
        return r.ExitCode == 0 && r.StdOut.Length > 0 ? r.StdOut : null;
    }

    /// <summary>Polls until <paramref name="probe"/> answers non-null; fails with the agent's log on timeout or exit.</summary>
    private static async Task<string> EventuallyAsync(AgentProcess agent, Func<Task<string?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (agent.HasExited) throw new Xunit.Sdk.XunitException($"the agent exited with {agent.ExitCode}:\n{agent.Log}");
            if (await probe() is { } result) return result;
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException("timed out; agent log:\n" + agent.Log);
    }
}
