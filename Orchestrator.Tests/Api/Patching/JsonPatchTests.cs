using Orchestrator.Api.Patching;
using Orchestrator.Core.Errors;

namespace Orchestrator.Tests.Api.Patching;

public class JsonPatchTests
{
    // RFC 6902 Appendix A examples that succeed (A.1–A.8, A.10, A.11, A.14, A.16) plus copy and root replacement.
    [Theory]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"baz":"qux","foo":"bar"}""")]
    [InlineData("""{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("""{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("""{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""",
        """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""",
        """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("""{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""",
        """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("""{"baz":"qux","foo":["a",2,"c"]}""",
        """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""",
        """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""",
        """{"foo":"bar","child":{"grandchild":{}}}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","xyz":123}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10}]""", """{"/":9,"~1":10}""")]
    [InlineData("""{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""")]
    [InlineData("""{"a":{"b":1}}""", """[{"op":"copy","from":"/a","path":"/c"}]""", """{"a":{"b":1},"c":{"b":1}}""")]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"","value":{"b":2}}]""", """{"b":2}""")]
    [InlineData("""{"metadata":{"annotations":{"a/b":"x"}}}""", """[{"op":"remove","path":"/metadata/annotations/a~1b"}]""",
        """{"metadata":{"annotations":{}}}""")]
    public void Apply_ValidPatch_ProducesExpectedDocument(string original, string patch, string expected)
    {
        var target = Json.Obj(original);

        var result = JsonPatch.Apply(target, Json.Node(patch));

        Json.Equal(expected, result);
        Json.Equal(original, target);
    }

    // A.9 failed test, A.12 missing parent, A.15 string vs number, plus out-of-range and leading-zero indexes.
    [Theory]
    [InlineData("""{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":"10"}]""")]
    [InlineData("""{"foo":["a"]}""", """[{"op":"add","path":"/foo/5","value":"x"}]""")]
    [InlineData("""{"foo":["a","b"]}""", """[{"op":"remove","path":"/foo/01"}]""")]
    [InlineData("""{"foo":1}""", """[{"op":"remove","path":"/bar"}]""")]
    [InlineData("""{"foo":1}""", """[{"op":"replace","path":"/bar","value":2}]""")]
    [InlineData("""{"a":{"b":{}}}""", """[{"op":"move","from":"/a","path":"/a/b/c"}]""")]
    public void Apply_UnapplicablePatch_ThrowsUnprocessable(string original, string patch)
    {
        var ex = Assert.Throws<ApiException>(() => JsonPatch.Apply(Json.Obj(original), Json.Node(patch)));

        Assert.Equal(422, ex.Code);
        Assert.Equal("Invalid", ex.Reason);
    }

    [Theory]
    [InlineData("""{"op":"add","path":"/a","value":1}""")]
    [InlineData("""[{"op":"jump","path":"/a"}]""")]
    [InlineData("""[{"path":"/a"}]""")]
    [InlineData("""[{"op":"add","path":"/a"}]""")]
    [InlineData("""[{"op":"add","path":"a","value":1}]""")]
    [InlineData("""[1]""")]
    public void Apply_MalformedPatch_ThrowsBadRequest(string patch)
    {
        var ex = Assert.Throws<ApiException>(() => JsonPatch.Apply(Json.Obj("""{"a":0}"""), Json.Node(patch)));

        Assert.Equal(400, ex.Code);
    }

    [Fact]
    public void Apply_FailedTestAfterChange_LeavesOriginalUntouched()
    {
        var target = Json.Obj("""{"a":1}""");

        Assert.Throws<ApiException>(() => JsonPatch.Apply(target,
            Json.Node("""[{"op":"replace","path":"/a","value":2},{"op":"test","path":"/a","value":3}]""")));

        Json.Equal("""{"a":1}""", target);
    }
}
