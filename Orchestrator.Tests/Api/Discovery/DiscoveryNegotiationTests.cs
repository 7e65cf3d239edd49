using Orchestrator.Api.Discovery;

namespace Orchestrator.Tests.Api.Discovery;

public class DiscoveryNegotiationTests
{
    private const string V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private const string V2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    [Theory]
    // kubectl 1.30+ (KUBECTL.md §1.3)
    [InlineData(V2 + "," + V2Beta1 + ",application/json", DiscoveryFormat.AggregatedV2, V2)]
    // kubectl 1.27-1.29
    [InlineData(V2Beta1 + ",application/json", DiscoveryFormat.AggregatedV2Beta1, V2Beta1)]
    // order decides, not the version number
    [InlineData(V2Beta1 + "," + V2, DiscoveryFormat.AggregatedV2Beta1, V2Beta1)]
    [InlineData("application/json", DiscoveryFormat.Legacy, "application/json")]
    [InlineData("application/json, */*", DiscoveryFormat.Legacy, "application/json")]
    [InlineData("*/*", DiscoveryFormat.Legacy, "application/json")]
    [InlineData("", DiscoveryFormat.Legacy, "application/json")]
    [InlineData(null, DiscoveryFormat.Legacy, "application/json")]
    // protobuf is never served; the JSON alternative is taken
    [InlineData("application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList," + V2, DiscoveryFormat.AggregatedV2, V2)]
    [InlineData("application/vnd.kubernetes.protobuf", DiscoveryFormat.Legacy, "application/json")]
    // spacing, quoting and parameter order do not matter
    [InlineData("application/json; as=APIGroupDiscoveryList; v=v2; g=apidiscovery.k8s.io", DiscoveryFormat.AggregatedV2, V2)]
    [InlineData("application/json;g=\"apidiscovery.k8s.io\";v=\"v2beta1\";as=\"APIGroupDiscoveryList\"", DiscoveryFormat.AggregatedV2Beta1, V2Beta1)]
    // unknown discovery version is skipped, q=0 excludes an entry
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json", DiscoveryFormat.Legacy, "application/json")]
    [InlineData(V2 + ";q=0," + V2Beta1, DiscoveryFormat.AggregatedV2Beta1, V2Beta1)]
    // a Table request is not a discovery format
    [InlineData("application/json;as=Table;v=v1;g=meta.k8s.io," + V2, DiscoveryFormat.AggregatedV2, V2)]
    public void Negotiate_picks_first_servable_entry(string? accept, DiscoveryFormat format, string contentType)
    {
        var choice = DiscoveryNegotiation.Negotiate(accept);
        Assert.Equal(format, choice.Format);
        Assert.Equal(contentType, choice.ContentType);
    }
}
