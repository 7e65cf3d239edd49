using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Orchestrator.Api.Admission;
using Orchestrator.Api.Client;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Controllers.Endpoints;
using Orchestrator.Core.Controllers.GarbageCollection;
using Orchestrator.Core.Controllers.Jobs;
using Orchestrator.Core.Controllers.Deployments;
using Orchestrator.Core.Scheduling;
using Orchestrator.Core.Controllers.Namespaces;
using Orchestrator.Core.Controllers.Nodes;
using Orchestrator.Core.Controllers.ReplicaSets;
using Orchestrator.Api.Discovery;
using Orchestrator.Api.FieldValidation;
using Orchestrator.Api.OpenApi;
using Orchestrator.Api.Printing;
using Orchestrator.Api.Proxying;
using Orchestrator.Api.Resources;
using Orchestrator.Api.Security;
using Orchestrator.Api.Watch;
using Orchestrator.Core.Model;
using Orchestrator.Core.Storage;

namespace Orchestrator.Api.Hosting;

/// <summary>Wires the API server: Kestrel with TLS, storage, admission, the REST surface and background loops.</summary>
public static class ApiServer
{
    public static WebApplication Build(ServerOptions options)
    {
        Directory.CreateDirectory(options.DataDir);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var credentials = ClusterCredentials.LoadOrCreate(options.DataDir, options.TlsSans, options.KubernetesServiceIp, options.ClusterDomain);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = RequestBody.MaxBytes + 1;
            k.Limits.MinRequestBodyDataRate = null;
            k.Listen(IPAddress.Parse(options.Bind), options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(credentials.ServingCertificate);
            });
        });

        var s = builder.Services;
        s.AddSingleton(options);
        s.AddSingleton(credentials);
        s.AddSingleton(new NodeCredentialStore(options.DataDir));
        s.AddSingleton(TimeProvider.System);
        s.AddSingleton(ResourceCatalog.Default);
        s.AddSingleton<IObjectStore>(_ => new SqliteObjectStore(Path.Combine(options.DataDir, "state.db")));
        s.AddAdmission(new AdmissionOptions
        {
            ServiceCidr = options.ServiceCidr,
            ClusterCidr = options.ClusterCidr,
            NodePortRange = $"{options.NodePortMin}-{options.NodePortMax}",
        });
        s.AddSingleton<ManagedFieldsTracker>();
        s.AddSingleton<ResourceRegistry>();
        s.AddSingleton<TablePrinter>();
        s.AddSingleton<ResponseWriter>();
        s.AddSingleton<WatchStreamer>();
        s.AddSingleton<ScaleSubresource>();
        s.AddSingleton<BindingSubresource>();
        s.AddSingleton<PodStreamingEndpoint>();
        s.AddSingleton<PodStreamingProxy>();
        s.AddSingleton<AgentStreamTargetResolver>();
        s.AddSingleton(sp => new AgentConnector(credentials, AgentClientCertificate.LoadOrCreate(options.DataDir, credentials.CaCertificate),
            sp.GetRequiredService<TimeProvider>()));
        s.AddSingleton<MultiDocumentApply>();
        s.AddSingleton(sp => new DiscoveryDocuments(sp.GetRequiredService<ResourceCatalog>(), $"127.0.0.1:{options.Port}"));
        s.AddSingleton<OpenApiDocuments>();
        s.AddFieldValidation();
        s.AddSingleton<SystemObjects>();
        s.AddSingleton<ApiServerStartup>();
        AddControlPlane(s);
        s.AddHostedService<StoreCompactor>();

        var app = builder.Build();
        app.UseMiddleware<StatusErrorMiddleware>();
        app.UseMiddleware<BearerTokenAuthentication>();
        app.UseMiddleware<NodeAuthorizer>();

        var ready = app.Services.GetRequiredService<ApiServerStartup>();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/livez", () => Results.Text("ok"));
        app.MapGet("/readyz", () => ready.IsReady ? Results.Text("ok") : Results.Text("not ready", statusCode: 503));
        app.MapGet("/cacerts", () => Results.Text(credentials.CaPem, "application/x-pem-file"));
        app.MapPost(NodeJoinEndpoint.Path, NodeJoinEndpoint.HandleAsync);
        app.MapPost(NodeServingCertificateEndpoint.Path, NodeServingCertificateEndpoint.HandleAsync);
        app.MapDiscovery();
        app.MapOpenApi();
        app.MapResources();
        app.MapPost("/apply", (HttpContext ctx) => ctx.RequestServices.GetRequiredService<MultiDocumentApply>().HandleAsync(ctx));
        app.MapFallback((HttpContext ctx) => ResponseWriter.WriteStatusAsync(ctx, Orchestrator.Core.Errors.ApiException.PathNotFound()));
        return app;
    }

    /// <summary>
    /// The controller manager: an in-process API client, leader election on a Lease, and per leadership term a scope
    /// with fresh informers and controllers (registered as scoped <see cref="IController"/>s).
    /// </summary>
    private static void AddControlPlane(IServiceCollection s)
    {
        s.AddSingleton<IKubeClient>(sp => new InProcessKubeClient(
            sp.GetRequiredService<ResourceRegistry>(), sp.GetRequiredService<BindingSubresource>(), "orchestrator-controller-manager"));
        s.AddSingleton(sp => new LeaderElector(
            sp.GetRequiredService<IKubeClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LeaderElector>>(),
            "kube-system", "orchestrator-controller-manager", $"{Environment.MachineName}_{Guid.NewGuid():N}"));
        s.AddScoped(sp => new InformerFactory(
            sp.GetRequiredService<IKubeClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        s.AddSingleton(sp => new EventRecorder(
            sp.GetRequiredService<IKubeClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EventRecorder>>(), "controller-manager"));
        s.AddHostedService<ControllerManager>();
        s.AddReplicaSetControllers();
        s.AddEndpointControllers();
        s.AddGarbageCollectionControllers();
        s.AddNamespaceController();
        s.AddNodeLifecycleController();
        s.AddNodeIpamController(sp => new NodeIpamOptions { ClusterCidr = sp.GetRequiredService<ServerOptions>().ClusterCidr });
        s.AddWorkloadControllers();
        s.AddDeploymentController();
        s.AddScheduler();
    }
}
