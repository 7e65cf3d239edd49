using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Images;

namespace Orchestrator.Tests.Agent.Images;

public sealed class DockerKeyringTests
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static ImageReference Ref(string image)
    {
        Assert.True(ImageReference.TryParse(image, out var r, out var e), e);
        return r;
    }

    /// <summary>A Secret as the API returns it: the config under data, base64-encoded.</summary>
    public static JsonObject Secret(string name, string type, string field, JsonNode config) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["type"] = type,
        ["data"] = new JsonObject { [field] = B64(config.ToJsonString()) },
    };

    private static JsonObject Entry(string user, string password) => new() { ["auth"] = B64($"{user}:{password}") };

    [Theory]
    // key, repository, matches (the kubelet's credentialprovider URLsMatch cases and ours)
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000/app", true)]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5001/app", false)]
    [InlineData("127.0.0.1", "127.0.0.1:5000/app", false)]
    [InlineData("registry.example.com", "registry.example.com/team/app", true)]
    [InlineData("registry.example.com/team", "registry.example.com/team/app", true)]
    [InlineData("registry.example.com/other", "registry.example.com/team/app", false)]
    [InlineData("*.example.com", "registry.example.com/app", true)]
    [InlineData("*.example.com", "example.com/app", false)]
    [InlineData("*.example.com", "a.b.example.com/app", false)]
    [InlineData("*.*.example.com", "a.b.example.com/app", true)]
    [InlineData("reg?.example.com", "reg1.example.com/app", true)]
    [InlineData("registry.example.com", "other.example.com/app", false)]
    [InlineData("docker.io", "docker.io/library/busybox", true)]
    public void Matches_LikeTheKubelet(string key, string repository, bool expected) =>
        Assert.Equal(expected, DockerKeyring.Matches(key, repository));

    [Theory]
    [InlineData("https://127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5000/", "127.0.0.1:5000")]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData("https://index.docker.io/v1/", "index.docker.io")]
    [InlineData("https://registry.example.com/v2/team", "registry.example.com/team")]
    [InlineData("registry.example.com:443", "registry.example.com:443")]
    [InlineData("https://", null)]
    public void NormaliseKey_DropsSchemeAndApiVersion(string location, string? expected) =>
        Assert.Equal(expected, DockerKeyring.NormaliseKey(location));

    [Fact]
    public void DockerConfigJson_MatchingHost_GivesDecodedCredentials()
    {
        var secret = Secret("pull", "kubernetes.io/dockerconfigjson", ".dockerconfigjson",
            new JsonObject { ["auths"] = new JsonObject { ["127.0.0.1:5000"] = Entry("alice", "s3cret:with:colons") } });
        var keyring = DockerKeyring.FromSecrets([secret]);

        var auth = Assert.Single(keyring.Lookup(Ref("127.0.0.1:5000/team/app:1")));
        Assert.Equal("alice", auth.Username);
        Assert.Equal("s3cret:with:colons", auth.Password);
        Assert.Equal("127.0.0.1:5000", auth.ServerAddress);
        Assert.Empty(keyring.Lookup(Ref("127.0.0.1:5001/team/app:1")));
        Assert.Empty(keyring.Lookup(Ref("busybox")));
    }

    [Fact]
    public void DockerCfg_TheMapItself_AndSeparateFields()
    {
        var secret = Secret("legacy", "kubernetes.io/dockercfg", ".dockercfg", new JsonObject
        {
            ["https://registry.example.com"] = new JsonObject { ["username"] = "bob", ["password"] = "pw", ["email"] = "b@example.com" },
        });
        var auth = Assert.Single(DockerKeyring.FromSecrets([secret]).Lookup(Ref("registry.example.com/app")));
        Assert.Equal(("bob", "pw", "b@example.com"), (auth.Username, auth.Password, auth.Email));
    }

    [Fact]
    public void Lookup_MostSpecificFirst_ThenLaterSecrets()
    {
        var first = Secret("one", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", new JsonObject
        {
            ["auths"] = new JsonObject
            {
                ["registry.example.com"] = Entry("host", "1"),
                ["registry.example.com/team"] = Entry("team", "2"),
                ["registry.example.com/team/app"] = Entry("app", "3"),
            },
        });
        var second = Secret("two", "kubernetes.io/dockerconfigjson", ".dockerconfigjson",
            new JsonObject { ["auths"] = new JsonObject { ["*.example.com"] = Entry("glob", "4") } });
        var found = DockerKeyring.FromSecrets([first, second]).Lookup(Ref("registry.example.com/team/app:1"));
        Assert.Equal(["app", "team", "host", "glob"], found.Select(a => a.Username));
    }

    [Fact]
    public void DockerHub_FallsBackToTheIndexKey()
    {
        var secret = Secret("hub", "kubernetes.io/dockerconfigjson", ".dockerconfigjson",
            new JsonObject { ["auths"] = new JsonObject { ["https://index.docker.io/v1/"] = Entry("hubuser", "pw") } });
        var keyring = DockerKeyring.FromSecrets([secret]);
        Assert.Equal("hubuser", Assert.Single(keyring.Lookup(Ref("busybox"))).Username);
        Assert.Equal("hubuser", Assert.Single(keyring.Lookup(Ref("me/app:1"))).Username);
        Assert.Empty(keyring.Lookup(Ref("127.0.0.1:5000/app")));
    }

    [Fact]
    public void OtherTypesAndBrokenData_AreSkippedAndReported()
    {
        var problems = new List<string>();
        var opaque = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "opaque", ["namespace"] = "default" },
            ["type"] = "Opaque",
            ["data"] = new JsonObject { [".dockerconfigjson"] = B64("{}") },
        };
        var broken = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "broken", ["namespace"] = "default" },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["data"] = new JsonObject { [".dockerconfigjson"] = "not base64!" },
        };
        var keyring = DockerKeyring.FromSecrets([opaque, broken], problems.Add);
        Assert.True(keyring.IsEmpty);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("default/opaque: type Opaque", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("default/broken: data[.dockerconfigjson] is not base64-encoded JSON", StringComparison.Ordinal));
    }
}
