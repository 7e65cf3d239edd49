using Orchestrator.Api.Resources;
using Orchestrator.Api.Security;

namespace Orchestrator.Api.Hosting;

/// <summary>
/// Start-up order: rebuild allocator state from storage, create the system objects, and only once the server
/// is listening write admin.kubeconfig and node-token, so that a script waiting for those files can use them at once.
/// </summary>
public sealed class ApiServerStartup(
    ResourceRegistry registry,
    SystemObjects systemObjects,
    ServerOptions options,
    ClusterCredentials credentials,
    IHostApplicationLifetime lifetime,
    ILogger<ApiServerStartup> log)
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public async Task RunBeforeServingAsync(CancellationToken ct)
    {
        registry.RebuildHooks();
        await systemObjects.EnsureAsync(ct);
        lifetime.ApplicationStarted.Register(() =>
        {
            KubeconfigWriter.WriteAll(options.DataDir, credentials, options.Port);
            _ready = true;
            log.LogInformation("API server ready on https://{Bind}:{Port}; kubeconfig at {Path}",
                options.Bind, options.Port, Path.Combine(options.DataDir, "admin.kubeconfig"));
        });
    }
}
