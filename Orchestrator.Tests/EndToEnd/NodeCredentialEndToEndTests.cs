using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Joining as a node: node-token carries the CA hash and the join secret; the secret buys a per-node credential that
/// may change only the node's own Node, Lease and pods (issue 4 item 2, server side).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class NodeCredentialEndToEndTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static StringContent Json(string s) => new(s, Encoding.UTF8, "application/json");

    private async Task<HttpClient> JoinAsync(string nodeName)
    {
        var token = File.ReadAllText(Path.Combine(cluster.Server.DataDir, "node-token")).Trim();
        Assert.StartsWith("K10", token);
        var hash = token[3..token.IndexOf("::", StringComparison.Ordinal)];
        var secret = token[(token.IndexOf("::node:", StringComparison.Ordinal) + "::node:".Length)..];
        using var anon = cluster.Server.CreateHttpClient(authenticated: false);
        var ca = await anon.GetStringAsync("/cacerts");
        Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ca))));

        var wrong = await anon.PostAsync("/node-credentials", Json($$"""{"nodeName":"{{nodeName}}","joinSecret":"nope"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var r = await anon.PostAsync("/node-credentials", Json($$"""{"nodeName":"{{nodeName}}","joinSecret":"{{secret}}"}"""));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var credential = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
        var client = cluster.Server.CreateHttpClient(authenticated: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return client;
    }

    private static string Node(string name) =>
        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}";

    [Fact]
    public async Task NodeCredential_MayChangeOnlyItsOwnNodeLeaseAndPods()
    {
        using var node = await JoinAsync("worker-1");
        Assert.Equal(HttpStatusCode.Created, (await node.PostAsync("/api/v1/nodes", Json(Node("worker-1")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await node.PostAsync("/api/v1/nodes", Json(Node("worker-2")))).StatusCode);
        var lease = """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"worker-1"},"spec":{"holderIdentity":"worker-1"}}""";
        Assert.Equal(HttpStatusCode.Created, (await node.PostAsync("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", Json(lease))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await node.PostAsync("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", Json(lease.Replace("worker-1", "worker-2")))).StatusCode);

        // Pods: the node may write the status of, and delete, only pods bound to it.
        using var admin = cluster.Server.CreateHttpClient();
        foreach (var (pod, boundTo) in new[] { ("mine", "worker-1"), ("theirs", "worker-2") })
        {
            var body = "{\"metadata\":{\"name\":\"" + pod + "\"},\"spec\":{\"nodeName\":\"" + boundTo + "\",\"containers\":[{\"name\":\"c\",\"image\":\"x:1\"}]}}";
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/namespaces/default/pods", Json(body))).StatusCode);
        }
        var statusPatch = new StringContent("""{"status":{"phase":"Running"}}""", Encoding.UTF8, "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, (await node.PatchAsync("/api/v1/namespaces/default/pods/mine/status", statusPatch)).StatusCode);
        var theirsPatch = new StringContent("""{"status":{"phase":"Running"}}""", Encoding.UTF8, "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.Forbidden, (await node.PatchAsync("/api/v1/namespaces/default/pods/theirs/status", theirsPatch)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await node.DeleteAsync("/api/v1/namespaces/default/pods/theirs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node.DeleteAsync("/api/v1/namespaces/default/pods/mine?gracePeriodSeconds=0")).StatusCode);

        // Everything else is read-only for a node.
        Assert.Equal(HttpStatusCode.OK, (await node.GetAsync("/api/v1/services")).StatusCode);
        var forbidden = await node.PostAsync("/api/v1/namespaces/default/configmaps", Json("""{"metadata":{"name":"x"}}"""));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("\"kind\":\"Status\"", await forbidden.Content.ReadAsStringAsync());

        // Joining again gives the same credential back (an agent that lost its state rejoins).
        using var again = await JoinAsync("worker-1");
        Assert.Equal(node.DefaultRequestHeaders.Authorization!.Parameter, again.DefaultRequestHeaders.Authorization!.Parameter);
    }
}
