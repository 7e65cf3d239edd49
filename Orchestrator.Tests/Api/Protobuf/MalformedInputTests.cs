using Orchestrator.Api.Protobuf;
using Orchestrator.Core.Errors;

namespace Orchestrator.Tests.Api.Protobuf;

/// <summary>
/// Request bodies are attacker-controlled: every malformed input must become an ApiException (400, or 415 when the
/// bytes happen to name an unsupported kind), never an IndexOutOfRange, Overflow or other crash.
/// </summary>
public sealed class MalformedInputTests
{
    public static TheoryData<string> Goldens => new(GoldenBodies.Names);

    [Fact]
    public void WrongMagicIsBadRequest()
    {
        var body = GoldenBodies.Body("namespace");
        body[0] = (byte)'K';

        Assert.Equal(400, Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body)).Code);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { (byte)'k', (byte)'8', (byte)'s' })]
    [InlineData(new byte[] { (byte)'{', (byte)'}' })]
    public void ShortOrJsonBodyIsBadRequest(byte[] body)
    {
        Assert.Equal(400, Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body)).Code);
    }

    [Fact]
    public void MagicWithoutEnvelopeIsBadRequestBecauseNoKind()
    {
        Assert.Equal(400, Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode("k8s\0"u8)).Code);
    }

    [Theory]
    [MemberData(nameof(Goldens))]
    public void EveryTruncationIsAnApiExceptionOrAValidPrefix(string name)
    {
        // Cutting exactly between fields leaves a shorter but well-formed message, so success is allowed; cutting
        // anywhere else must be a 400.
        var body = GoldenBodies.Body(name);
        for (var length = 0; length < body.Length; length++)
        {
            var ex = Record.Exception(() => KubernetesProtobuf.Decode(body.AsSpan(0, length)));
            if (ex != null)
                Assert.True(ex is ApiException { Code: 400 }, $"{name}[..{length}]: {ex}");
        }
    }

    [Fact]
    public void TruncatedInsideALengthIsBadRequest()
    {
        var body = GoldenBodies.Body("deployment");

        // The envelope's raw field (2) declares its length; dropping the last byte makes it run past the end.
        var ex = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body.AsSpan(0, body.Length - 5)));
        Assert.Equal(400, ex.Code);
    }

    [Theory]
    [MemberData(nameof(Goldens))]
    public void BitFlipsNeverEscapeAsOtherExceptions(string name)
    {
        var body = GoldenBodies.Body(name);
        var random = new Random(name.GetHashCode(StringComparison.Ordinal) ^ 0x5EED);
        for (var i = 0; i < 300; i++)
        {
            var mutated = (byte[])body.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
                mutated[random.Next(4, mutated.Length)] ^= (byte)(1 << random.Next(8));
            var ex = Record.Exception(() => KubernetesProtobuf.Decode(mutated));
            Assert.True(ex is null or ApiException { Code: 400 or 415 }, $"{name} mutation {i}: {ex}");
        }
    }

    [Fact]
    public void RandomBytesAfterMagicNeverEscapeAsOtherExceptions()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 2000; i++)
        {
            var body = new byte[4 + random.Next(0, 64)];
            random.NextBytes(body);
            "k8s\0"u8.CopyTo(body);
            var ex = Record.Exception(() => KubernetesProtobuf.Decode(body));
            Assert.True(ex is null or ApiException { Code: 400 or 415 }, $"input {Convert.ToHexString(body)}: {ex}");
        }
    }

    [Fact]
    public void TenByteVarintOverflowIsBadRequest()
    {
        byte[] body = [.. "k8s\0"u8.ToArray(), 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];

        Assert.Equal(400, Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body)).Code);
    }

    [Fact]
    public void WrongWireTypeForAKnownFieldIsBadRequest()
    {
        // ConfigMap.metadata (1) sent as a varint instead of a message.
        var raw = new ProtoTestWriter().Varint(1, 5UL).ToArray();
        var body = ProtoTestWriter.Envelope("v1", "ConfigMap", raw);

        var ex = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body));
        Assert.Equal(400, ex.Code);
        Assert.Contains("v1.ConfigMap.metadata", ex.Message);
    }

    [Fact]
    public void GroupWireTypeIsBadRequest()
    {
        byte[] body = [.. "k8s\0"u8.ToArray(), 0x0B];

        Assert.Equal(400, Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body)).Code);
    }

    [Fact]
    public void UnsupportedKindIsUnsupportedMediaType()
    {
        var body = ProtoTestWriter.Envelope("storage.k8s.io/v1", "StorageClass", []);

        var ex = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body));
        Assert.Equal(415, ex.Code);
        Assert.Equal("UnsupportedMediaType", ex.Reason);
        Assert.Contains("not supported in protobuf", ex.Message);
    }

    [Fact]
    public void KnownKindInWrongGroupIsUnsupportedMediaType()
    {
        var body = ProtoTestWriter.Envelope("extensions/v1beta1", "Deployment", []);

        Assert.Equal(415, Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body)).Code);
    }

    [Fact]
    public void ContentEncodingIsUnsupportedMediaType()
    {
        var body = ProtoTestWriter.Envelope("v1", "ConfigMap", [], contentEncoding: "gzip");

        Assert.Equal(415, Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body)).Code);
    }

    [Fact]
    public void BadIntOrStringTypeIsBadRequest()
    {
        var raw = new ProtoTestWriter()
            .Message(2, spec => spec.Message(1, port => port.Varint(3, 80L).Message(4, ios => ios.Varint(1, 7L))))
            .ToArray();

        var ex = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(ProtoTestWriter.Envelope("v1", "Service", raw)));
        Assert.Equal(400, ex.Code);
    }

    [Fact]
    public void OutOfRangeTimestampIsBadRequest()
    {
        var raw = new ProtoTestWriter().Message(1, m => m.Message(8, t => t.Varint(1, long.MaxValue))).ToArray();

        var ex = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(ProtoTestWriter.Envelope("v1", "ConfigMap", raw)));
        Assert.Equal(400, ex.Code);
    }
}
