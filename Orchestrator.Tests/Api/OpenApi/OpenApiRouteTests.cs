using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Tests.Api.Discovery;

namespace Orchestrator.Tests.Api.OpenApi;

public class OpenApiRouteTests : IAsyncLifetime
{
    private DiscoveryTestHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscoveryTestHost.StartAsync();
    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Index_urls_are_fetchable_as_given()
    {
        var index = JsonNode.Parse(await _host.Client.GetStringAsync("/openapi/v3?timeout=32s"))!["paths"]!.AsObject();
        Assert.True(index.ContainsKey("api/v1"));
        Assert.True(index.ContainsKey("apis/apps/v1"));
        foreach (var (_, entry) in index)
        {
            var resp = await _host.Client.GetAsync(entry!["serverRelativeURL"]!.GetValue<string>() + "&timeout=32s");
            Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
            Assert.Equal("application/json", resp.Content.Headers.ContentType!.MediaType);
            var doc = JsonNode.Parse(await resp.Content.ReadAsStringAsync())!;
            Assert.Equal("3.0.0", doc["openapi"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("/openapi/v2")]
    [InlineData("/openapi/v3/apis/nosuch/v1")]
    public async Task Missing_documents_are_404_status(string path)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, path);
        req.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        var resp = await _host.Client.SendAsync(req);
        Assert.Equal(HttpStatusCode.NotFound, resp.StatusCode);
        Assert.Equal("application/json", resp.Content.Headers.ContentType!.MediaType);
        var body = JsonNode.Parse(await resp.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", body["kind"]!.GetValue<string>());
        Assert.Equal("NotFound", body["reason"]!.GetValue<string>());
    }
}
