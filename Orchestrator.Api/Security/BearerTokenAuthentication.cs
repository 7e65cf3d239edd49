using System.Security.Cryptography;
using System.Text;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.Security;

/// <summary>
/// Every request needs a valid bearer token except the health probes and /cacerts (which a joining node must read
/// before it can trust anything). Tokens are compared in constant time.
/// </summary>
public sealed class BearerTokenAuthentication(RequestDelegate next, ClusterCredentials credentials)
{
    private static readonly HashSet<string> Anonymous = ["/readyz", "/livez", "/healthz", "/cacerts"];

    private readonly byte[] _admin = Encoding.UTF8.GetBytes(credentials.AdminToken);

    public async Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (Anonymous.Contains(path.TrimEnd('/')) || path.StartsWith("/readyz/", StringComparison.Ordinal) ||
            path.StartsWith("/livez/", StringComparison.Ordinal))
        {
            await next(ctx);
            return;
        }
        var header = ctx.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) &&
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[prefix.Length..].Trim()), _admin))
        {
            await next(ctx);
            return;
        }
        await ResponseWriter.WriteStatusAsync(ctx, ApiException.Unauthorized());
    }
}
