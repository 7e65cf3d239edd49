using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Validation;

namespace Orchestrator.Tests.Core.Validation;

public class LabelSelectorValidationTests
{
    public static TheoryData<string, string?, string?> Cases => new()
    {
        { """{"matchLabels":{"app":"web"}}""", null, null },
        { """{"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]}]}""", null, null },
        { """{"matchExpressions":[{"key":"tier","operator":"Exists"}]}""", null, null },
        { """{"matchExpressions":[{"key":"tier","operator":"DoesNotExist"}]}""", null, null },
        { """{"matchExpressions":[{"key":"tier","operator":"In"}]}""", "sel.matchExpressions[0].values",
            "sel.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'" },
        { """{"matchExpressions":[{"key":"tier","operator":"NotIn","values":[]}]}""", "sel.matchExpressions[0].values", null },
        { """{"matchExpressions":[{"key":"tier","operator":"Exists","values":["x"]}]}""", "sel.matchExpressions[0].values",
            "sel.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'" },
        { """{"matchExpressions":[{"key":"tier","operator":"Equals","values":["x"]}]}""", "sel.matchExpressions[0].operator",
            "sel.matchExpressions[0].operator: Invalid value: \"Equals\": not a valid selector operator" },
        { """{"matchExpressions":[{"key":"-t","operator":"Exists"}]}""", "sel.matchExpressions[0].key", null },
        { """{"matchExpressions":[{"key":"t","operator":"In","values":["a b"]}]}""", "sel.matchExpressions[0].values[0]", null },
        { """{"matchLabels":{"app":"-"}}""", "sel.matchLabels[app]", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_Cases(string json, string? field, string? message)
    {
        var errors = LabelSelectorValidation.Validate(JsonNode.Parse(json), "sel");
        if (field is null)
        {
            Assert.Empty(errors);
            return;
        }
        var e = Assert.Single(errors);
        Assert.Equal(field, e.Field);
        if (message is not null) Assert.Equal(message, e.ToString());
    }

    [Theory]
    [InlineData("""{"matchLabels":{"app":"web"}}""", true)]
    [InlineData("""{"matchLabels":{"app":"db"}}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"In","values":["front"]}]}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"NotIn","values":["front"]}]}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"zone","operator":"DoesNotExist"}]}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"zone","operator":"Exists"}]}""", false)]
    [InlineData("""{}""", true)]
    public void Matches_Cases(string selector, bool expected)
    {
        var labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" };
        Assert.Equal(expected, LabelSelectorValidation.Matches(JsonNode.Parse(selector)!.AsObject(), labels));
    }

    [Fact]
    public void Validate_Null_NoErrors() => Assert.Empty(LabelSelectorValidation.Validate(null, "sel"));

    [Fact]
    public void Validate_NotSupportedTypeKeepsRequiredType()
    {
        var e = Assert.Single(LabelSelectorValidation.Validate(JsonNode.Parse("""{"matchExpressions":[{"key":"t","operator":"In"}]}"""), "s"));
        Assert.Equal(FieldErrorType.Required, e.Type);
    }
}
