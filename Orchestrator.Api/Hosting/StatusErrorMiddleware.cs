using Microsoft.AspNetCore.Http;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.Hosting;

/// <summary>
/// Turns every failure into a Kubernetes Status response. ApiExceptions carry their code and reason; anything else is
/// a bug, logged with its stack and answered as 500 InternalError without taking the process down.
/// </summary>
public sealed class StatusErrorMiddleware(RequestDelegate next, ILogger<StatusErrorMiddleware> log)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        try
        {
            await next(ctx);
        }
        catch (ApiException e)
        {
            if (ctx.Response.HasStarted) return;
            await ResponseWriter.WriteStatusAsync(ctx, e);
        }
        catch (BadHttpRequestException e)
        {
            if (ctx.Response.HasStarted) return;
            var ex = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiException.TooLarge("Request entity too large: limit is 3145728")
                : ApiException.BadRequest(e.Message);
            await ResponseWriter.WriteStatusAsync(ctx, ex);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.LogError(e, "Unhandled error serving {Method} {Path}", ctx.Request.Method, ctx.Request.Path);
            if (ctx.Response.HasStarted) return;
            await ResponseWriter.WriteStatusAsync(ctx, ApiException.Internal("an error on the server (\"" + e.GetType().Name + "\") has prevented the request from succeeding"));
        }
    }
}
