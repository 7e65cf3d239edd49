namespace Orchestrator.Tests.EndToEnd;

/// <summary>What was written survives the server being killed (SIGKILL) and started again on the same data directory.</summary>
[Trait("Category", "EndToEnd")]
public sealed class RestartEndToEndTests
{
    [Fact]
    public async Task KillAndRestart_KeepsObjectsAllocationsAndCredentials()
    {
        await using var server = await ApiServerProcess.StartAsync();
        var cache = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;
        var k = new Kubectl(server.KubeconfigPath, cache);
        var token = File.ReadAllText(server.KubeconfigPath);
        (await k.RunAsync("create", "service", "nodeport", "survivor", "--tcp=80:8080", "--node-port=30500")).Ok();
        (await k.RunAsync("create", "configmap", "survivor", "--from-literal=k=v")).Ok();
        var ipBefore = (await k.RunAsync("get", "svc", "survivor", "-o", "jsonpath={.spec.clusterIP}")).Ok().StdOut;
        var rvBefore = long.Parse((await k.RunAsync("get", "cm", "survivor", "-o", "jsonpath={.metadata.resourceVersion}")).Ok().StdOut);

        await server.StopAsync();
        await server.StartAgainAsync();

        Assert.Equal(token, File.ReadAllText(server.KubeconfigPath));
        Assert.Equal(ipBefore, (await k.RunAsync("get", "svc", "survivor", "-o", "jsonpath={.spec.clusterIP}")).Ok().StdOut);
        Assert.Equal("v", (await k.RunAsync("get", "cm", "survivor", "-o", "jsonpath={.data.k}")).Ok().StdOut);
        // The allocations were rebuilt: the same node port is taken, and new writes continue the revision sequence.
        var dup = await k.RunAsync("create", "service", "nodeport", "second", "--tcp=80:8080", "--node-port=30500");
        Assert.Contains("provided port is already allocated", dup.Output);
        (await k.RunAsync("create", "configmap", "after")).Ok();
        var rvAfter = long.Parse((await k.RunAsync("get", "cm", "after", "-o", "jsonpath={.metadata.resourceVersion}")).Ok().StdOut);
        Assert.True(rvAfter > rvBefore);
        Directory.Delete(cache, recursive: true);
    }
}
