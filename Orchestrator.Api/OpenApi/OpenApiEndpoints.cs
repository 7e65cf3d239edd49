using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Api.Discovery;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.OpenApi;

/// <summary>
/// Routes for OpenAPI. Requires an <see cref="OpenApiDocuments"/> singleton in DI.
/// </summary>
public static class OpenApiEndpoints
{
    public static IEndpointRouteBuilder MapOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/openapi/v3", (OpenApiDocuments docs) => new RawJsonResult(docs.IndexJson));

        // The ?hash= query only exists to bust client caches; the document for a path is always the current one.
        app.MapGet("/openapi/v3/{**path}", (string path, OpenApiDocuments docs) =>
            docs.DocumentJson(path) is { } json ? new RawJsonResult(json) : NotFound());

        // kubectl asks for v2 only as protobuf; a 404 makes it fall back to compiled-in types, whereas a JSON body
        // would fail to parse (KUBECTL.md §1.7).
        app.MapGet("/openapi/v2", () => NotFound());
        return app;
    }

    private static IResult NotFound() =>
        new RawJsonResult(ApiException.PathNotFound().ToStatus().ToJsonString(), statusCode: StatusCodes.Status404NotFound);
}
