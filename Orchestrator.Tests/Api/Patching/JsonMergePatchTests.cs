using Orchestrator.Api.Patching;
using Orchestrator.Core.Errors;

namespace Orchestrator.Tests.Api.Patching;

public class JsonMergePatchTests
{
    // RFC 7386 Appendix A, the cases whose target is an object.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    [InlineData("""{"a":"foo"}""", """{"a":{"b":null,"c":1}}""", """{"a":{"c":1}}""")]
    public void Apply_Rfc7386Examples_ProduceExpectedResult(string original, string patch, string expected)
    {
        var target = Json.Obj(original);

        var result = JsonMergePatch.Apply(target, Json.Node(patch));

        Json.Equal(expected, result);
        Json.Equal(original, target);
    }

    [Theory]
    [InlineData("""["c"]""")]
    [InlineData("""42""")]
    [InlineData("""null""")]
    public void Apply_NonObjectPatch_ThrowsBadRequest(string patch)
    {
        var ex = Assert.Throws<ApiException>(() => JsonMergePatch.Apply(Json.Obj("""{"a":"b"}"""), Json.Node(patch)));
        Assert.Equal(400, ex.Code);
    }
}
