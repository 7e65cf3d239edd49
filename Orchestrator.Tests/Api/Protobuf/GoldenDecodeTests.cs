using System.Text.Json.Nodes;
using Orchestrator.Api.Protobuf;

namespace Orchestrator.Tests.Api.Protobuf;

/// <summary>Real kubectl protobuf bodies decode to the JSON kubectl prints for the same object.</summary>
public sealed class GoldenDecodeTests
{
    public static TheoryData<string> Goldens => new(GoldenBodies.Names);

    [Fact]
    public void EveryCapturedCommandHasAGolden()
    {
        // Guards against the output-copy rule silently matching nothing, which would make the theory vacuous.
        Assert.True(GoldenBodies.Names.Count() >= 31, string.Join(", ", GoldenBodies.Names));
    }

    [Theory]
    [MemberData(nameof(Goldens))]
    public void DecodesToKubectlJson(string name)
    {
        var decoded = KubernetesProtobuf.Decode(GoldenBodies.Body(name));
        var expected = JsonNode.Parse(GoldenBodies.ExpectedJson(name));

        Assert.Equal(JsonCanonical.Of(expected), JsonCanonical.Of(decoded));
    }

    [Theory]
    [MemberData(nameof(Goldens))]
    public void PutsKindAndApiVersionFirst(string name)
    {
        var decoded = KubernetesProtobuf.Decode(GoldenBodies.Body(name));

        Assert.Equal(["kind", "apiVersion"], decoded.Select(p => p.Key).Take(2));
    }

    [Fact]
    public void KeepsPointerZeroAndDropsGoZeroValues()
    {
        // eviction.pb carries gracePeriodSeconds = 0 (a pointer: "delete now") next to ObjectMeta's empty
        // non-pointer strings and generation 0, which Go always writes but its JSON omits.
        var decoded = KubernetesProtobuf.Decode(GoldenBodies.Body("eviction"));

        Assert.Equal(0L, decoded["deleteOptions"]!["gracePeriodSeconds"]!.GetValue<long>());
        Assert.Equal(["name", "namespace"], decoded["metadata"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void SecretDataStaysBase64()
    {
        var decoded = KubernetesProtobuf.Decode(GoldenBodies.Body("secret"));

        Assert.Equal(Convert.ToBase64String("x"u8.ToArray()), decoded["data"]!["p"]!.GetValue<string>());
    }
}
