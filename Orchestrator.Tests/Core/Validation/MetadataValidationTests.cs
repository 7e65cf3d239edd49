using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Validation;

namespace Orchestrator.Tests.Core.Validation;

public class MetadataValidationTests
{
    [Fact]
    public void ValidateLabels_Valid_NoErrors()
    {
        var labels = JsonNode.Parse("""{"app":"web","example.com/tier":"front_end","empty":""}""");
        Assert.Empty(MetadataValidation.ValidateLabels(labels, "metadata.labels"));
    }

    [Fact]
    public void ValidateLabels_BadKey_ReportedAtMapPath()
    {
        var errors = MetadataValidation.ValidateLabels(JsonNode.Parse("""{"-bad":"x"}"""), "metadata.labels");
        var e = Assert.Single(errors);
        Assert.Equal("metadata.labels", e.Field);
        Assert.Equal("-bad", e.Value);
        Assert.StartsWith("name part must consist of", e.Detail);
    }

    [Fact]
    public void ValidateLabels_BadValue_ReportedAtKeyPath()
    {
        var errors = MetadataValidation.ValidateLabels(JsonNode.Parse("""{"app":"a b"}"""), "spec.selector");
        var e = Assert.Single(errors);
        Assert.Equal("spec.selector[app]", e.Field);
        Assert.StartsWith("spec.selector[app]: Invalid value: \"a b\": a valid label must be an empty string", e.ToString());
    }

    [Fact]
    public void ValidateAnnotations_OverTotalSize_TooLong()
    {
        var big = new string('x', 256 * 1024);
        var errors = MetadataValidation.ValidateAnnotations(new JsonObject { ["k"] = big }, "metadata.annotations");
        var e = Assert.Single(errors);
        Assert.Equal(FieldErrorType.TooLong, e.Type);
        Assert.Equal("metadata.annotations: Too long: must have at most 262144 bytes", e.ToString());
    }

    [Fact]
    public void ValidateAnnotations_JustUnderLimit_Ok()
    {
        var value = new string('x', 256 * 1024 - 1);
        Assert.Empty(MetadataValidation.ValidateAnnotations(new JsonObject { ["k"] = value }, "metadata.annotations"));
    }

    [Fact]
    public void ValidateAnnotations_UppercaseKey_AllowedBadKeyRejected()
    {
        Assert.Empty(MetadataValidation.ValidateAnnotations(new JsonObject { ["Example.COM/Key"] = "v" }, "metadata.annotations"));
        Assert.Single(MetadataValidation.ValidateAnnotations(new JsonObject { ["a/b/c"] = "v" }, "metadata.annotations"));
    }
}
