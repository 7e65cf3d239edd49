using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>The REST API as curl users and bad clients see it: YAML bodies, auth, Status errors for bad input.</summary>
[Trait("Category", "EndToEnd")]
public sealed class HttpApiEndToEndTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private HttpClient Client() => cluster.Server.CreateHttpClient();

    private static StringContent Body(string text, string mediaType) =>
        new(text, new UTF8Encoding(false), mediaType);

    private static async Task<JsonObject> StatusOf(HttpResponseMessage r)
    {
        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
        var status = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("Status", status["kind"]?.GetValue<string>());
        Assert.Equal("v1", status["apiVersion"]?.GetValue<string>());
        Assert.Equal((int)r.StatusCode, status["code"]?.GetValue<int>());
        return status;
    }

    [Fact]
    public async Task PostYaml_CreatesService()
    {
        using var c = Client();
        var yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: curl-svc\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
        var r = await c.PostAsync("/api/v1/namespaces/default/services", Body(yaml, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var svc = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        Assert.StartsWith("10.", svc["spec"]!["clusterIP"]!.GetValue<string>());
    }

    [Fact]
    public async Task ApplyEndpoint_MultiDocument_ReportsCreatedConfiguredUnchanged()
    {
        using var c = Client();
        string Docs(int replicas) => $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: multi-cm}
            data: {key: value}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: multi-deploy}
            spec:
              replicas: {{replicas}}
              selector:
                matchLabels: {app: multi}
              template:
                metadata:
                  labels: {app: multi}
                spec:
                  containers: [{name: web, image: "echo-hostname:1.0"}]
            """;
        var first = await (await c.PostAsync("/apply", Body(Docs(1), "application/yaml"))).Content.ReadAsStringAsync();
        Assert.Equal("configmap/multi-cm created\ndeployment.apps/multi-deploy created\n", first);
        var second = await (await c.PostAsync("/apply", Body(Docs(2), "application/yaml"))).Content.ReadAsStringAsync();
        Assert.Equal("configmap/multi-cm unchanged\ndeployment.apps/multi-deploy configured\n", second);
    }

    [Fact]
    public async Task NoToken_Is401_ButHealthAndCaAreOpen()
    {
        using var anon = cluster.Server.CreateHttpClient(authenticated: false);
        var r = await anon.GetAsync("/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        await StatusOf(r);
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync("/livez")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync("/healthz")).StatusCode);
        Assert.Contains("BEGIN CERTIFICATE", await anon.GetStringAsync("/cacerts"));
        anon.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.GetAsync("/version")).StatusCode);
    }

    [Fact]
    public async Task MalformedJson_Is400WithLineAndColumn()
    {
        using var c = Client();
        var r = await c.PostAsync("/api/v1/namespaces/default/configmaps", Body("{\n  \"metadata\": {\"name\": \"x\",,}\n}", "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var status = await StatusOf(r);
        Assert.Contains("line 2", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task MalformedYaml_Is400WithLine()
    {
        using var c = Client();
        var r = await c.PostAsync("/api/v1/namespaces/default/configmaps", Body("metadata:\n  name: x\n   bad: [1,\n", "application/yaml"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("line", (await StatusOf(r))["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownResourceAndKindMismatch_AreNotFoundAndBadRequest()
    {
        using var c = Client();
        var r = await c.GetAsync("/apis/widgets.example.com/v1/namespaces/default/widgets");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        await StatusOf(r);
        var mismatch = await c.PostAsync("/api/v1/namespaces/default/configmaps",
            Body("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"x\"}}", "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        await StatusOf(mismatch);
    }

    [Fact]
    public async Task InvalidObject_Is422ListingEveryField()
    {
        using var c = Client();
        var body = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"Bad_Name\",\"labels\":{\"bad key!\":\"v\"}},\"spec\":{\"ports\":[{\"port\":0},{\"port\":80}]}}";
        var r = await c.PostAsync("/api/v1/namespaces/default/services", Body(body, "application/json"));
        Assert.Equal((HttpStatusCode)422, r.StatusCode);
        var status = await StatusOf(r);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        var fields = status["details"]!["causes"]!.AsArray().Select(x => x!["field"]!.GetValue<string>()).ToList();
        Assert.Contains("metadata.name", fields);
        Assert.Contains(fields, f => f.StartsWith("metadata.labels", StringComparison.Ordinal));
        Assert.Contains("spec.ports[0].port", fields);
        Assert.Contains("spec.ports[0].name", fields);
    }

    [Fact]
    public async Task NameClash_Is409AlreadyExists()
    {
        using var c = Client();
        var body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"clash\"}}";
        Assert.Equal(HttpStatusCode.Created, (await c.PostAsync("/api/v1/namespaces/default/configmaps", Body(body, "application/json"))).StatusCode);
        var r = await c.PostAsync("/api/v1/namespaces/default/configmaps", Body(body, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        Assert.Equal("AlreadyExists", (await StatusOf(r))["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task HugeBody_Is413()
    {
        using var c = Client();
        var big = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"x\":\"" + new string('a', 3 * 1024 * 1024 + 10) + "\"}}";
        var r = await c.PostAsync("/api/v1/namespaces/default/configmaps", Body(big, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        await StatusOf(r);
    }

    [Fact]
    public async Task DryRun_StoresNothing()
    {
        using var c = Client();
        var body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"}}";
        var r = await c.PostAsync("/api/v1/namespaces/default/configmaps?dryRun=All", Body(body, "application/json"));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/api/v1/namespaces/default/configmaps/dry")).StatusCode);
    }

    [Fact]
    public async Task ListPaging_LimitAndContinue_VisitEveryItemOnce()
    {
        using var c = Client();
        await c.PostAsync("/api/v1/namespaces", Body("{\"metadata\":{\"name\":\"paging\"}}", "application/json"));
        for (var i = 0; i < 7; i++)
            await c.PostAsync("/api/v1/namespaces/paging/configmaps", Body($"{{\"metadata\":{{\"name\":\"cm-{i}\"}}}}", "application/json"));
        var seen = new List<string>();
        string? cont = null;
        do
        {
            var url = "/api/v1/namespaces/paging/configmaps?limit=3" + (cont != null ? "&continue=" + Uri.EscapeDataString(cont) : "");
            var page = JsonNode.Parse(await c.GetStringAsync(url))!;
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
            cont = page["metadata"]?["continue"]?.GetValue<string>();
        }
        while (cont != null);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"cm-{i}"), seen);
    }
}
