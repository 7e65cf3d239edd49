using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Deployments;

namespace Orchestrator.Tests.Core.Controllers.Deployments;

public sealed class PodTemplateHashTests
{
    private static JsonObject Template(string image) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image, ["resources"] = new JsonObject() }),
            ["securityContext"] = new JsonObject(),
        },
    };

    [Fact]
    public void SafeEncode_MapsDigitsIntoTheVowelFreeAlphabet() =>
        Assert.Equal("456789bcdf", PodTemplateHash.SafeEncode("0123456789"));

    [Fact]
    public void Compute_IsStableAcrossKeyOrderNullsAndEmptyObjects()
    {
        var plain = Template("nginx:1.0");
        var reordered = JsonNode.Parse("""
            {"spec":{"containers":[{"image":"nginx:1.0","name":"web"}]},"metadata":{"creationTimestamp":null,"labels":{"app":"web"}}}
            """)!.AsObject();
        Assert.Equal(PodTemplateHash.Compute(plain, null), PodTemplateHash.Compute(reordered, null));
        Assert.True(PodTemplateHash.EqualIgnoringHash(plain, reordered));
    }

    [Fact]
    public void Compute_ChangesWithTheTemplateAndTheCollisionCount()
    {
        var hash = PodTemplateHash.Compute(Template("nginx:1.0"), null);
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", hash);
        Assert.NotEqual(hash, PodTemplateHash.Compute(Template("nginx:2.0"), null));
        Assert.NotEqual(hash, PodTemplateHash.Compute(Template("nginx:1.0"), 1));
        Assert.NotEqual(PodTemplateHash.Compute(Template("nginx:1.0"), 1), PodTemplateHash.Compute(Template("nginx:1.0"), 2));
    }

    [Fact]
    public void EqualIgnoringHash_IgnoresOnlyTheHashLabel()
    {
        var withHash = Template("nginx:1.0");
        withHash["metadata"]!["labels"]![PodTemplateHash.Label] = "abc";
        Assert.True(PodTemplateHash.EqualIgnoringHash(withHash, Template("nginx:1.0")));
        Assert.False(PodTemplateHash.EqualIgnoringHash(withHash, Template("nginx:2.0")));
        withHash["metadata"]!["labels"]!["tier"] = "front";
        Assert.False(PodTemplateHash.EqualIgnoringHash(withHash, Template("nginx:1.0")));
    }
}
