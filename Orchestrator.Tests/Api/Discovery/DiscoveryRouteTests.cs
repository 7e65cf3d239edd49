using System.Net;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.Api.Discovery;

public class DiscoveryRouteTests : IAsyncLifetime
{
    private DiscoveryTestHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscoveryTestHost.StartAsync();
    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpResponseMessage Response, JsonObject Body)> Get(string path, string? accept = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept != null) req.Headers.TryAddWithoutValidation("Accept", accept);
        var resp = await _host.Client.SendAsync(req);
        // Read the raw header before the body: ReadAsStringAsync parses Content-Type (for the charset) and
        // HttpClient then hands back its re-formatted version ("a; b=c").
        _contentType = resp.Content.Headers.NonValidated["Content-Type"].ToString();
        var body = JsonNode.Parse(await resp.Content.ReadAsStringAsync())!.AsObject();
        return (resp, body);
    }

    private string _contentType = "";

    private string ContentType(HttpResponseMessage _) => _contentType;

    [Fact]
    public async Task Apis_with_kubectl_accept_gets_v2_and_exact_content_type()
    {
        var (resp, body) = await Get("/apis?timeout=32s",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", ContentType(resp));
        Assert.Equal("apidiscovery.k8s.io/v2", body["apiVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_with_old_kubectl_accept_gets_v2beta1()
    {
        var (resp, body) = await Get("/api",
            "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList", ContentType(resp));
        Assert.Equal("apidiscovery.k8s.io/v2beta1", body["apiVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Plain_json_gets_legacy_documents()
    {
        var (api, apiBody) = await Get("/api", "application/json");
        Assert.StartsWith("application/json", ContentType(api));
        Assert.Equal("APIVersions", apiBody["kind"]!.GetValue<string>());
        var (_, apisBody) = await Get("/apis", "application/json");
        Assert.Equal("APIGroupList", apisBody["kind"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/v1", "APIResourceList")]
    [InlineData("/apis/apps/v1", "APIResourceList")]
    [InlineData("/apis/discovery.k8s.io/v1", "APIResourceList")]
    [InlineData("/apis/apps", "APIGroup")]
    public async Task Group_and_version_documents(string path, string kind)
    {
        var (resp, body) = await Get(path);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Equal(kind, body["kind"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/apis/nosuch.example.com")]
    [InlineData("/apis/nosuch.example.com/v1")]
    [InlineData("/apis/apps/v7")]
    [InlineData("/api/v2")]
    public async Task Unknown_group_or_version_is_a_404_status(string path)
    {
        var (resp, body) = await Get(path);
        Assert.Equal(HttpStatusCode.NotFound, resp.StatusCode);
        Assert.StartsWith("application/json", ContentType(resp));
        Assert.Equal("Status", body["kind"]!.GetValue<string>());
        Assert.Equal("v1", body["apiVersion"]!.GetValue<string>());
        Assert.Equal("NotFound", body["reason"]!.GetValue<string>());
        Assert.Equal("the server could not find the requested resource", body["message"]!.GetValue<string>());
        Assert.Equal(404, body["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Version_endpoint()
    {
        var (resp, body) = await Get("/version?timeout=5s", "application/json, */*");
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Equal("32", body["minor"]!.GetValue<string>());
    }
}
