using Orchestrator.Agent.Pods.Spec;

namespace Orchestrator.Tests.Agent.Pods.Spec;

public sealed class EnvVarExpansionTests
{
    private static readonly Dictionary<string, string> Vars = new()
    {
        ["VAR_A"] = "A",
        ["VAR_B"] = "B",
        ["VAR_EMPTY"] = "",
    };

    // Cases from upstream's expansion tests (third_party/forked/golang/expansion/expand_test.go).
    [Theory]
    [InlineData("$(VAR_A)", "A")]
    [InlineData("___$(VAR_B)___", "___B___")]
    [InlineData("$(VAR_A)-$(VAR_A)", "A-A")]
    [InlineData("$(VAR_EMPTY)", "")]
    [InlineData("$(UNKNOWN)", "$(UNKNOWN)")]
    [InlineData("$$(VAR_A)", "$(VAR_A)")]
    [InlineData("$$$(VAR_A)", "$A")]
    [InlineData("$$$$(VAR_A)", "$$(VAR_A)")]
    [InlineData("f000-$$VAR_A", "f000-$VAR_A")]
    [InlineData("$VAR_A", "$VAR_A")]
    [InlineData("$(VAR_A", "$(VAR_A")]
    [InlineData("$(VAR_A)$(", "A$(")]
    [InlineData("$", "$")]
    [InlineData("foo$", "foo$")]
    [InlineData("$()", "$()")]
    [InlineData("no refs", "no refs")]
    [InlineData("${VAR_A}", "${VAR_A}")]
    public void Expand_FollowsKubernetesSemantics(string input, string expected) =>
        Assert.Equal(expected, EnvVarExpansion.Expand(input, Vars.GetValueOrDefault));
}
