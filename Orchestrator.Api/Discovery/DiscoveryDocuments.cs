using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Discovery;

/// <summary>
/// Every discovery body the server publishes, derived from the resource catalog. The catalog is fixed for the
/// lifetime of the process, so everything is built once: the routes write the pre-serialized *Json strings, and the
/// JsonObject accessors hand out deep clones (callers may mutate them).
/// </summary>
public sealed class DiscoveryDocuments
{
    /// <summary>The version body; minor 32 also makes the gcloud kubectl dispatcher run its built-in 1.32 client.</summary>
    public const string GitVersion = "v1.32.0-orchestrator";

    private readonly ResourceCatalog _catalog;
    private readonly string _serverAddress;
    private readonly Dictionary<(bool Core, DiscoveryFormat Format), JsonObject> _aggregated = new();
    private readonly Dictionary<string, JsonObject> _resourceLists = new();
    private readonly Dictionary<string, JsonObject> _groups = new();
    private readonly JsonObject _apiVersions;
    private readonly JsonObject _groupList;
    private readonly JsonObject _version;
    private readonly Dictionary<(bool Core, DiscoveryFormat Format), string> _rootJson = new();
    private readonly Dictionary<string, string> _resourceListJson = new();
    private readonly Dictionary<string, string> _groupJson = new();

    /// <param name="catalog">The served resource types.</param>
    /// <param name="serverAddress">host:port advertised in legacy <c>/api</c> serverAddressByClientCIDRs.</param>
    public DiscoveryDocuments(ResourceCatalog catalog, string serverAddress = "127.0.0.1:6443")
    {
        _catalog = catalog;
        _serverAddress = serverAddress;
        foreach (var core in new[] { true, false })
        {
            _aggregated[(core, DiscoveryFormat.AggregatedV2)] = BuildAggregated(core, "v2");
            _aggregated[(core, DiscoveryFormat.AggregatedV2Beta1)] = BuildAggregated(core, "v2beta1");
        }
        foreach (var gv in GroupVersions())
            _resourceLists[ApiVersionOf(gv.Group, gv.Version)] = BuildResourceList(gv.Group, gv.Version);
        foreach (var g in _catalog.Groups.Where(g => g.Length > 0))
            _groups[g] = BuildGroup(g);
        _apiVersions = BuildApiVersions();
        _groupList = BuildGroupList();
        _version = BuildVersion();

        // kubectl without a warm cache asks for /api and /apis on every command: serialize each body once.
        foreach (var core in new[] { true, false })
            foreach (var format in Enum.GetValues<DiscoveryFormat>())
                _rootJson[(core, format)] = Root(core, format).ToJsonString();
        foreach (var (key, list) in _resourceLists) _resourceListJson[key] = list.ToJsonString();
        foreach (var (key, group) in _groups) _groupJson[key] = group.ToJsonString();
        VersionJson = _version.ToJsonString();
    }

    /// <summary>Serialized <see cref="Root"/>.</summary>
    public string RootJson(bool core, DiscoveryFormat format) => _rootJson[(core, format)];

    /// <summary>Serialized <see cref="ResourceList"/>; null when the group-version is not served.</summary>
    public string? ResourceListJson(string group, string version) => _resourceListJson.GetValueOrDefault(ApiVersionOf(group, version));

    /// <summary>Serialized <see cref="Group"/>; null when the group is not served.</summary>
    public string? GroupJson(string group) => _groupJson.GetValueOrDefault(group);

    /// <summary>Serialized <see cref="Version"/>.</summary>
    public string VersionJson { get; }

    public ResourceCatalog Catalog => _catalog;

    /// <summary>(group, version) pairs in catalog order; the first version seen for a group is its preferred one.</summary>
    public IReadOnlyList<(string Group, string Version)> GroupVersions() =>
        _catalog.Kinds.Select(k => (k.Group, k.Version)).Distinct().ToList();

    /// <summary>Body for <c>GET /api</c> (core=true) or <c>GET /apis</c> (core=false) in the negotiated format.</summary>
    public JsonObject Root(bool core, DiscoveryFormat format) => format switch
    {
        DiscoveryFormat.Legacy => core ? LegacyApi() : LegacyApis(),
        _ => Aggregated(core, format),
    };

    /// <summary>APIGroupDiscoveryList for the core group (<c>/api</c>) or the named groups (<c>/apis</c>).</summary>
    public JsonObject Aggregated(bool core, DiscoveryFormat format)
    {
        if (format == DiscoveryFormat.Legacy) throw new ArgumentException("legacy is not an aggregated format", nameof(format));
        return (JsonObject)_aggregated[(core, format)].DeepClone();
    }

    /// <summary>Legacy <c>/api</c>: APIVersions.</summary>
    public JsonObject LegacyApi() => (JsonObject)_apiVersions.DeepClone();

    /// <summary>Legacy <c>/apis</c>: APIGroupList.</summary>
    public JsonObject LegacyApis() => (JsonObject)_groupList.DeepClone();

    /// <summary>APIResourceList for <c>/api/v1</c> or <c>/apis/{group}/{version}</c>; null when not served.</summary>
    public JsonObject? ResourceList(string group, string version) =>
        _resourceLists.TryGetValue(ApiVersionOf(group, version), out var o) ? (JsonObject)o.DeepClone() : null;

    /// <summary>APIGroup for <c>/apis/{group}</c>; null when not served.</summary>
    public JsonObject? Group(string group) => _groups.TryGetValue(group, out var o) ? (JsonObject)o.DeepClone() : null;

    /// <summary>Body for <c>GET /version</c>.</summary>
    public JsonObject Version() => (JsonObject)_version.DeepClone();

    private static string ApiVersionOf(string group, string version) => group.Length == 0 ? version : $"{group}/{version}";

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private JsonObject BuildAggregated(bool core, string discoveryVersion)
    {
        var items = new JsonArray();
        foreach (var group in _catalog.Groups.Where(g => (g.Length == 0) == core))
        {
            var versions = new JsonArray();
            foreach (var version in _catalog.Kinds.Where(k => k.Group == group).Select(k => k.Version).Distinct())
            {
                var resources = new JsonArray();
                foreach (var k in _catalog.Kinds.Where(k => k.Group == group && k.Version == version))
                    resources.Add(AggregatedResource(k));
                versions.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }
            // The core group's item has no name: that is how clients tell /api's group apart.
            var metadata = new JsonObject { ["creationTimestamp"] = null };
            if (!core) metadata["name"] = group;
            items.Add(new JsonObject { ["metadata"] = metadata, ["versions"] = versions });
        }
        return new JsonObject
        {
            ["kind"] = DiscoveryNegotiation.ListKind,
            ["apiVersion"] = $"{DiscoveryNegotiation.DiscoveryGroup}/{discoveryVersion}",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonObject AggregatedResource(ResourceKind k)
    {
        var r = new JsonObject
        {
            ["resource"] = k.Plural,
            ["responseKind"] = Gvk(k.Group, k.Version, k.Kind),
            ["scope"] = k.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = k.Singular,
            ["verbs"] = Strings(ResourceKind.AllVerbs),
        };
        // Upstream omits empty lists here; keep the same shape.
        if (k.ShortNames.Count > 0) r["shortNames"] = Strings(k.ShortNames);
        if (k.Categories.Count > 0) r["categories"] = Strings(k.Categories);
        if (k.Subresources.Count > 0)
        {
            var subs = new JsonArray();
            foreach (var s in k.Subresources.OrderBy(s => s.Name, StringComparer.Ordinal))
                subs.Add(new JsonObject
                {
                    ["subresource"] = s.Name,
                    ["responseKind"] = Gvk(s.ResponseGroup, s.ResponseVersion, s.ResponseKind),
                    ["verbs"] = Strings(s.Verbs),
                });
            r["subresources"] = subs;
        }
        return r;
    }

    private JsonObject BuildApiVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = Strings(_catalog.Kinds.Where(k => k.Group.Length == 0).Select(k => k.Version).Distinct()),
        ["serverAddressByClientCIDRs"] = new JsonArray(
            new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = _serverAddress }),
    };

    private JsonObject BuildGroup(string group)
    {
        var versions = new JsonArray();
        foreach (var v in _catalog.Kinds.Where(k => k.Group == group).Select(k => k.Version).Distinct())
            versions.Add(new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v });
        var preferred = versions[0]!.DeepClone();
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = versions,
            ["preferredVersion"] = preferred,
        };
    }

    private JsonObject BuildGroupList()
    {
        var groups = new JsonArray();
        foreach (var g in _catalog.Groups.Where(g => g.Length > 0))
        {
            var entry = BuildGroup(g);
            entry.Remove("kind");
            entry.Remove("apiVersion");
            groups.Add(entry);
        }
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    private JsonObject BuildResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var k in _catalog.Kinds.Where(k => k.Group == group && k.Version == version))
        {
            var r = new JsonObject
            {
                ["name"] = k.Plural,
                ["singularName"] = k.Singular,
                ["namespaced"] = k.Namespaced,
                ["kind"] = k.Kind,
                ["verbs"] = Strings(ResourceKind.AllVerbs),
            };
            if (k.ShortNames.Count > 0) r["shortNames"] = Strings(k.ShortNames);
            if (k.Categories.Count > 0) r["categories"] = Strings(k.Categories);
            r["storageVersionHash"] = StorageVersionHash(k.Group, k.Version, k.Kind);
            resources.Add(r);
            foreach (var s in k.Subresources.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                var sub = new JsonObject
                {
                    ["name"] = $"{k.Plural}/{s.Name}",
                    ["singularName"] = "",
                    ["namespaced"] = k.Namespaced,
                };
                // group/version only appear when the subresource answers with another group-version (e.g. autoscaling/v1 Scale).
                if (s.ResponseGroup != k.Group || s.ResponseVersion != k.Version)
                {
                    sub["group"] = s.ResponseGroup;
                    sub["version"] = s.ResponseVersion;
                }
                sub["kind"] = s.ResponseKind;
                sub["verbs"] = Strings(s.Verbs);
                resources.Add(sub);
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = ApiVersionOf(group, version),
            ["resources"] = resources,
        };
    }

    /// <summary>
    /// Same recipe as upstream: the first 8 bytes of SHA-256 over the storage version, base64-encoded. Clients only
    /// compare it for equality, so stability matters more than the exact input string.
    /// </summary>
    public static string StorageVersionHash(string group, string version, string kind)
    {
        var input = $"{group}/{version}/{kind}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(input));
        return Convert.ToBase64String(hash, 0, 8);
    }

    /// <summary>Go-style "os/arch" of the machine we run on, as the real server reports its own build platform.</summary>
    private static string Platform()
    {
        var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "unknown";
        var arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "amd64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.X86 => "386",
            System.Runtime.InteropServices.Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
        return $"{os}/{arch}";
    }

    private static JsonObject BuildVersion() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["emulationMajor"] = "1",
        ["emulationMinor"] = "32",
        ["minCompatibilityMajor"] = "1",
        ["minCompatibilityMinor"] = "31",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.4",
        ["compiler"] = "gc",
        ["platform"] = Platform(),
    };
}
