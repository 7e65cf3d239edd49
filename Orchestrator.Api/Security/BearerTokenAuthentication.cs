using System.Security.Cryptography;
using System.Text;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.Security;

/// <summary>
/// Every request needs a valid bearer token except the health probes, /cacerts (which a joining node must read
/// before it can trust anything) and the join call (which carries the join secret instead). The admin token is
/// compared in constant time; a node token marks the request with its node for <see cref="NodeAuthorizer"/>.
/// </summary>
public sealed class BearerTokenAuthentication(RequestDelegate next, ClusterCredentials credentials, NodeCredentialStore nodes)
{
    private static readonly HashSet<string> Anonymous = ["/readyz", "/livez", "/healthz", "/cacerts", NodeJoinEndpoint.Path];

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
        if (header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            var token = header[prefix.Length..].Trim();
            if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _admin))
            {
                await next(ctx);
                return;
            }
            if (nodes.NodeFor(token) is { } node)
            {
                ctx.Items[NodeAuthorizer.NodeItem] = node;
                await next(ctx);
                return;
            }
        }
        await ResponseWriter.WriteStatusAsync(ctx, ApiException.Unauthorized());
    }
}
