namespace Orchestrator.Tests.EndToEnd;

/// <summary>One API server process shared by the tests of a class, plus a kubectl bound to it.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string _cache = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;

    public ApiServerProcess Server { get; private set; } = null!;
    public Kubectl Kubectl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ApiServerProcess.StartAsync();
        Kubectl = new Kubectl(Server.KubeconfigPath, _cache);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
    }

    /// <summary>Writes a manifest to a temporary file for <c>kubectl -f</c>.</summary>
    public static string Manifest(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
