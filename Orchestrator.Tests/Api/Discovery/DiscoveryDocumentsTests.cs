using System.Text.Json.Nodes;
using Orchestrator.Api.Discovery;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Api.Discovery;

public class DiscoveryDocumentsTests
{
    private static readonly ResourceCatalog Catalog = ResourceCatalog.Default;
    private readonly DiscoveryDocuments _docs = new(Catalog, "10.0.0.1:6443");

    public static IEnumerable<object[]> Kinds() => Catalog.Kinds.Select(k => new object[] { k.Group, k.Kind });

    private static ResourceKind KindOf(string group, string kind) => Catalog.Kinds.Single(k => k.Group == group && k.Kind == kind);

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x!.GetValue<string>()) : [];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_is_in_aggregated_discovery_with_verbs_scope_and_names(string group, string kind)
    {
        var k = KindOf(group, kind);
        foreach (var format in new[] { DiscoveryFormat.AggregatedV2, DiscoveryFormat.AggregatedV2Beta1 })
        {
            var list = _docs.Aggregated(core: group.Length == 0, format);
            var item = list["items"]!.AsArray().Single(i => (i!["metadata"]!["name"]?.GetValue<string>() ?? "") == group)!;
            var version = item["versions"]!.AsArray().Single(v => v!["version"]!.GetValue<string>() == k.Version)!;
            Assert.Equal("Current", version["freshness"]!.GetValue<string>());
            var res = version["resources"]!.AsArray().Single(r => r!["resource"]!.GetValue<string>() == k.Plural)!;
            Assert.Equal(k.Namespaced ? "Namespaced" : "Cluster", res["scope"]!.GetValue<string>());
            Assert.Equal(ResourceKind.AllVerbs, Strings(res["verbs"]));
            Assert.Equal(k.Singular, res["singularResource"]!.GetValue<string>());
            Assert.Equal(kind, res["responseKind"]!["kind"]!.GetValue<string>());
            Assert.Equal(group, res["responseKind"]!["group"]!.GetValue<string>());
            Assert.Equal(k.ShortNames, Strings(res["shortNames"]));
            Assert.Equal(k.Categories, Strings(res["categories"]));
            var subs = res["subresources"]?.AsArray() ?? [];
            Assert.Equal(k.Subresources.Select(s => s.Name).Order(), subs.Select(s => s!["subresource"]!.GetValue<string>()));
            foreach (var s in k.Subresources)
            {
                var sub = subs.Single(x => x!["subresource"]!.GetValue<string>() == s.Name)!;
                Assert.Equal(s.ResponseKind, sub["responseKind"]!["kind"]!.GetValue<string>());
                Assert.Equal(s.ResponseGroup, sub["responseKind"]!["group"]!.GetValue<string>());
                Assert.Equal(s.Verbs, Strings(sub["verbs"]));
            }
        }
    }

    [Fact]
    public void Aggregated_envelopes_carry_the_discovery_api_version()
    {
        Assert.Equal("apidiscovery.k8s.io/v2", _docs.Aggregated(true, DiscoveryFormat.AggregatedV2)["apiVersion"]!.GetValue<string>());
        Assert.Equal("apidiscovery.k8s.io/v2beta1", _docs.Aggregated(false, DiscoveryFormat.AggregatedV2Beta1)["apiVersion"]!.GetValue<string>());
        Assert.Equal("APIGroupDiscoveryList", _docs.Aggregated(false, DiscoveryFormat.AggregatedV2)["kind"]!.GetValue<string>());
        // The core group item has no name, and it is the only item of /api.
        var core = _docs.Aggregated(true, DiscoveryFormat.AggregatedV2)["items"]!.AsArray();
        Assert.Single(core);
        Assert.Null(core[0]!["metadata"]!["name"]);
        Assert.DoesNotContain(_docs.Aggregated(false, DiscoveryFormat.AggregatedV2)["items"]!.AsArray(),
            i => i!["metadata"]!["name"] is null);
    }

    [Fact]
    public void Legacy_api_lists_v1_and_the_server_address()
    {
        var api = _docs.LegacyApi();
        Assert.Equal("APIVersions", api["kind"]!.GetValue<string>());
        Assert.Equal(["v1"], Strings(api["versions"]));
        Assert.Equal("10.0.0.1:6443", api["serverAddressByClientCIDRs"]![0]!["serverAddress"]!.GetValue<string>());
        Assert.Equal("0.0.0.0/0", api["serverAddressByClientCIDRs"]![0]!["clientCIDR"]!.GetValue<string>());
    }

    [Fact]
    public void Legacy_apis_lists_every_group_with_preferred_version()
    {
        var apis = _docs.LegacyApis();
        Assert.Equal("APIGroupList", apis["kind"]!.GetValue<string>());
        var names = apis["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(Catalog.Groups.Where(g => g.Length > 0), names);
        var apps = apis["groups"]!.AsArray().Single(g => g!["name"]!.GetValue<string>() == "apps")!;
        Assert.Equal("apps/v1", apps["preferredVersion"]!["groupVersion"]!.GetValue<string>());
        Assert.Equal("v1", apps["versions"]![0]!["version"]!.GetValue<string>());
    }

    [Fact]
    public void Group_document_and_unknown_group()
    {
        var g = _docs.Group("batch")!;
        Assert.Equal("APIGroup", g["kind"]!.GetValue<string>());
        Assert.Equal("batch/v1", g["preferredVersion"]!["groupVersion"]!.GetValue<string>());
        Assert.Null(_docs.Group("nosuch.example.com"));
        Assert.Null(_docs.ResourceList("apps", "v2"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Resource_lists_hold_every_kind_and_its_subresources(string group, string kind)
    {
        var k = KindOf(group, kind);
        var list = _docs.ResourceList(group, k.Version)!;
        Assert.Equal("APIResourceList", list["kind"]!.GetValue<string>());
        Assert.Equal(k.ApiVersion, list["groupVersion"]!.GetValue<string>());
        var resources = list["resources"]!.AsArray();
        var main = resources.Single(r => r!["name"]!.GetValue<string>() == k.Plural)!;
        Assert.Equal(k.Namespaced, main["namespaced"]!.GetValue<bool>());
        Assert.Equal(kind, main["kind"]!.GetValue<string>());
        Assert.Equal(k.Singular, main["singularName"]!.GetValue<string>());
        Assert.Equal(ResourceKind.AllVerbs, Strings(main["verbs"]));
        Assert.Equal(k.ShortNames, Strings(main["shortNames"]));
        Assert.False(string.IsNullOrEmpty(main["storageVersionHash"]!.GetValue<string>()));
        foreach (var s in k.Subresources)
        {
            var sub = resources.Single(r => r!["name"]!.GetValue<string>() == $"{k.Plural}/{s.Name}")!;
            Assert.Equal(s.ResponseKind, sub["kind"]!.GetValue<string>());
            Assert.Equal(s.Verbs, Strings(sub["verbs"]));
            if (s.ResponseGroup != k.Group) Assert.Equal(s.ResponseGroup, sub["group"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Deployment_scale_names_its_autoscaling_group()
    {
        var sub = _docs.ResourceList("apps", "v1")!["resources"]!.AsArray()
            .Single(r => r!["name"]!.GetValue<string>() == "deployments/scale")!;
        Assert.Equal("autoscaling", sub["group"]!.GetValue<string>());
        Assert.Equal("v1", sub["version"]!.GetValue<string>());
        Assert.Equal("Scale", sub["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Version_reports_1_32_with_semver_git_version()
    {
        var v = _docs.Version();
        Assert.Equal("1", v["major"]!.GetValue<string>());
        Assert.Equal("32", v["minor"]!.GetValue<string>());
        Assert.Matches(@"^v1\.32\.\d+(-[0-9A-Za-z.-]+)?$", v["gitVersion"]!.GetValue<string>());
        Assert.Matches("^[a-z]+/[a-z0-9]+$", v["platform"]!.GetValue<string>());
    }

    [Fact]
    public void Returned_documents_are_copies()
    {
        _docs.Version()["minor"] = "99";
        Assert.Equal("32", _docs.Version()["minor"]!.GetValue<string>());
    }
}
