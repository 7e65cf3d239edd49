using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Core.Validation;

namespace Orchestrator.Api.Security;

/// <summary>
/// <c>POST /node-credentials</c> <c>{"nodeName": "...", "joinSecret": "..."}</c> → <c>{"nodeName": "...", "token": "..."}</c>.
/// The join flow, as k3s does it: the agent reads node-token (<c>K10&lt;ca-hash&gt;::node:&lt;secret&gt;</c>), fetches
/// /cacerts, checks its SHA-256 against the hash, and from then on trusts the server; it then trades the secret for a
/// credential of its own, which <see cref="NodeAuthorizer"/> limits to its own Node, Lease and pods.
/// </summary>
public static class NodeJoinEndpoint
{
    public const string Path = "/node-credentials";

    public static async Task HandleAsync(HttpContext ctx)
    {
        var credentials = ctx.RequestServices.GetRequiredService<ClusterCredentials>();
        var store = ctx.RequestServices.GetRequiredService<NodeCredentialStore>();
        var body = await RequestBody.ReadObjectAsync(ctx, ctx.RequestAborted);
        var secret = body.Str("joinSecret") ?? "";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(credentials.NodeJoinSecret)))
            throw ApiException.Unauthorized();
        var name = body.Str("nodeName") ?? "";
        var problems = NameValidation.IsDns1123Subdomain(name);
        if (problems.Count > 0)
            throw ApiException.Invalid("NodeCredential", name, "", [FieldError.Invalid("nodeName", name, string.Join("; ", problems))]);
        await ResponseWriter.WriteJsonAsync(ctx, new JsonObject { ["nodeName"] = name, ["token"] = store.Issue(name) }, 200);
    }
}
