using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The real API server gives nodes their pod CIDRs (node IPAM is registered with the controllers) and, restarted on
/// the same data directory, does not hand out a CIDR twice.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class NodeIpamEndToEndTests
{
    private static string NodeYaml(string name) =>
        $"apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n";

    private static async Task<string> WaitForPodCidrAsync(Kubectl k, string node)
    {
        var cidr = "";
        await TestCluster.EventuallyAsync(async () =>
        {
            cidr = (await k.RunAsync("get", "node", node, "-o", "jsonpath={.spec.podCIDR}")).Ok().StdOut.Trim();
            return cidr.Length > 0;
        }, $"node {node} has a pod CIDR", timeoutMs: 30_000);
        return cidr;
    }

    [Fact]
    public async Task Nodes_GetPodCidrsFromTheClusterCidr_AcrossARestart()
    {
        await using var server = await ApiServerProcess.StartAsync();
        var cache = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;
        try
        {
            var k = new Kubectl(server.KubeconfigPath, cache);
            (await k.RunAsync("create", "-f", ClusterFixture.Manifest(NodeYaml("images-node-a")))).Ok();
            var first = await WaitForPodCidrAsync(k, "images-node-a");
            Assert.Matches(@"^10\.244\.\d{1,3}\.0/24$", first);
            Assert.Equal(first, (await k.RunAsync("get", "node", "images-node-a", "-o", "jsonpath={.spec.podCIDRs[0]}")).Ok().StdOut.Trim());

            await server.StopAsync();
            await server.StartAgainAsync();

            (await k.RunAsync("create", "-f", ClusterFixture.Manifest(NodeYaml("images-node-b")))).Ok();
            var second = await WaitForPodCidrAsync(k, "images-node-b");
            Assert.Matches(@"^10\.244\.\d{1,3}\.0/24$", second);
            Assert.NotEqual(first, second);
            Assert.Equal(first, (await k.RunAsync("get", "node", "images-node-a", "-o", "jsonpath={.spec.podCIDR}")).Ok().StdOut.Trim());
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
