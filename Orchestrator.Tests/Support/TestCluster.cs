using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Api.Admission;
using Orchestrator.Api.Client;
using Orchestrator.Api.Hosting;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Model;
using Orchestrator.Core.Storage;

namespace Orchestrator.Tests.Support;

/// <summary>
/// The API server's storage, admission and registry in-process, for controller unit tests: a real SQLite store in
/// a temporary file, the real admission chain, an in-process client, informers and a hand-moved clock.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("test-cluster-").FullName;
    private readonly CancellationTokenSource _cts = new();

    public ManualTimeProvider Time { get; } = new();
    public SqliteObjectStore Store { get; }
    public ResourceRegistry Registry { get; }
    public IKubeClient Client { get; }
    public InformerFactory Informers { get; }
    public EventRecorder Events { get; }
    public CancellationToken Token => _cts.Token;

    public TestCluster()
    {
        Store = new SqliteObjectStore(Path.Combine(_dir, "state.db"));
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddAdmission(new AdmissionOptions());
        using var sp = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var steps = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetServices<IAdmissionStep>(sp).ToList();
        var hooks = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetServices<IResourceLifecycleHook>(sp).ToList();
        Registry = new ResourceRegistry(Store, ResourceCatalog.Default, steps, hooks, new ManagedFieldsTracker(),
            new Orchestrator.Api.FieldValidation.UnknownFieldDetector(new Orchestrator.Api.OpenApi.OpenApiDocuments(ResourceCatalog.Default)), Time);
        Client = new InProcessKubeClient(Registry, new BindingSubresource(Registry, Time), "test");
        Informers = new InformerFactory(Client, Time, NullLoggerFactory.Instance);
        Events = new EventRecorder(Client, Time, NullLogger<EventRecorder>.Instance, "test");
        foreach (var ns in new[] { "default", "kube-system", "kube-node-lease" })
            Client.CreateAsync(Kinds.Namespace, null, new() { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = ns } }).GetAwaiter().GetResult();
    }

    /// <summary>Starts the informers asked for so far and runs a controller in the background.</summary>
    public Task Run(IController controller)
    {
        Informers.Start(Token);
        return Task.Run(() => controller.RunAsync(Token));
    }

    /// <summary>Polls until the condition holds (controllers work asynchronously); fails after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string because, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException("timed out waiting until " + because);
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await Task.Delay(50);
        Store.Dispose();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
