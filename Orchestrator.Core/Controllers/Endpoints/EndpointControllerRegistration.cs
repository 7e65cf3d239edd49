using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>DI registration: each controller is a scoped <see cref="IController"/>, one instance per leadership term.</summary>
public static class EndpointControllerRegistration
{
    /// <summary>Endpoints, EndpointSlice, EndpointSlice mirroring and LoadBalancer status controllers.</summary>
    public static IServiceCollection AddEndpointControllers(this IServiceCollection s) =>
        s.AddEndpointsController()
         .AddEndpointSliceController()
         .AddEndpointSliceMirroringController()
         .AddLoadBalancerStatusController();

    public static IServiceCollection AddEndpointsController(this IServiceCollection s) => s.AddScoped<IController, EndpointsController>();

    public static IServiceCollection AddEndpointSliceController(this IServiceCollection s) =>
        s.AddScoped<IController, EndpointSliceController>();

    public static IServiceCollection AddEndpointSliceMirroringController(this IServiceCollection s) =>
        s.AddScoped<IController, EndpointSliceMirroringController>();

    public static IServiceCollection AddLoadBalancerStatusController(this IServiceCollection s) =>
        s.AddScoped<IController, LoadBalancerStatusController>();
}
