using Microsoft.AspNetCore.Http;

namespace Orchestrator.Api.Discovery;

/// <summary>
/// Writes a pre-serialized JSON body with the Content-Type exactly as given. Results.Text re-formats media type
/// parameters ("a;b=c" becomes "a; b=c"); the aggregated discovery type is kept byte for byte as upstream sends it.
/// </summary>
public sealed class RawJsonResult(string body, string contentType = "application/json", int statusCode = StatusCodes.Status200OK) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.Headers.ContentType = contentType;
        return httpContext.Response.WriteAsync(body);
    }
}
