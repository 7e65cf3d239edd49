using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.Discovery;

/// <summary>
/// Routes for /version and API discovery. Requires a <see cref="DiscoveryDocuments"/> singleton in DI.
/// </summary>
public static class DiscoveryEndpoints
{
    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder app)
    {
        app.MapGet("/version", (DiscoveryDocuments docs) => new RawJsonResult(docs.VersionJson));

        app.MapGet("/api", (HttpContext ctx, DiscoveryDocuments docs) => Root(ctx, docs, core: true));
        app.MapGet("/apis", (HttpContext ctx, DiscoveryDocuments docs) => Root(ctx, docs, core: false));

        // Legacy per-group-version lists; also the fallback path for clients that did not get aggregated discovery.
        app.MapGet("/api/{version}", (string version, DiscoveryDocuments docs) =>
            docs.ResourceListJson("", version) is { } list ? new RawJsonResult(list) : NotFound());
        app.MapGet("/apis/{group}", (string group, DiscoveryDocuments docs) =>
            docs.GroupJson(group) is { } g ? new RawJsonResult(g) : NotFound());
        app.MapGet("/apis/{group}/{version}", (string group, string version, DiscoveryDocuments docs) =>
            docs.ResourceListJson(group, version) is { } list ? new RawJsonResult(list) : NotFound());
        return app;
    }

    private static IResult Root(HttpContext ctx, DiscoveryDocuments docs, bool core)
    {
        var choice = DiscoveryNegotiation.Negotiate(ctx.Request.Headers.Accept.ToString());
        // Content-Type is what client-go looks at to choose the parser, so it must be the exact negotiated string.
        ctx.Response.Headers.Vary = "Accept";
        return new RawJsonResult(docs.RootJson(core, choice.Format), choice.ContentType);
    }

    /// <summary>A Kubernetes Status body, so kubectl prints "the server could not find the requested resource".</summary>
    internal static IResult NotFound() =>
        new RawJsonResult(ApiException.PathNotFound().ToStatus().ToJsonString(), statusCode: StatusCodes.Status404NotFound);
}
