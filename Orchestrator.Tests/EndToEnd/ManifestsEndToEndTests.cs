namespace Orchestrator.Tests.EndToEnd;

/// <summary>Every runnable example in manifests/ can be applied, listed, described and deleted with the real kubectl.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ManifestsEndToEndTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    public static IEnumerable<object[]> Manifests()
    {
        var root = RepositoryRoot();
        return Directory.EnumerateFiles(Path.Combine(root, "manifests"), "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetRelativePath(root, f) });
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public async Task Manifest_AppliesListsDescribesDeletes(string relativePath)
    {
        var file = Path.Combine(RepositoryRoot(), relativePath);
        var ns = "m-" + Math.Abs(relativePath.GetHashCode()).ToString("x");
        var k = cluster.Kubectl;
        (await k.RunAsync("create", "namespace", ns)).Ok();
        var apply = (await k.RunAsync("apply", "-n", ns, "-f", file)).Ok();
        Assert.Contains("created", apply.StdOut);
        Assert.Contains("unchanged", (await k.RunAsync("apply", "-n", ns, "-f", file)).Ok().StdOut);
        (await k.RunAsync("get", "-n", ns, "-f", file, "-o", "wide")).Ok();
        Assert.Contains("Name:", (await k.RunAsync("describe", "-n", ns, "-f", file)).Ok().StdOut);
        Assert.Contains("deleted", (await k.RunAsync("delete", "-n", ns, "-f", file)).Ok().StdOut);
        (await k.RunAsync("delete", "namespace", ns, "--wait=false")).Ok();
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Orchestrator.sln not found above " + AppContext.BaseDirectory);
    }
}
