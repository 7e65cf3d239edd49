using Orchestrator.Agent.Pods;

namespace Orchestrator.Tests.Agent.Pods;

public sealed class RestartPolicyRulesTests
{
    [Theory]
    [InlineData("Always", 0, true)]
    [InlineData("Always", 1, true)]
    [InlineData("OnFailure", 0, false)]
    [InlineData("OnFailure", 2, true)]
    [InlineData("Never", 0, false)]
    [InlineData("Never", 1, false)]
    public void ShouldRestart_FollowsPolicy(string policy, int exit, bool expected) =>
        Assert.Equal(expected, RestartPolicyRules.ShouldRestart(policy, exit));

    [Theory]
    [InlineData("Always", 0, false)]
    [InlineData("Always", 1, true)]
    [InlineData("OnFailure", 1, true)]
    [InlineData("Never", 1, false)]
    public void ShouldRestartInit_OnlyFailuresAndNeverNotForNever(string policy, int exit, bool expected) =>
        Assert.Equal(expected, RestartPolicyRules.ShouldRestartInit(policy, exit));

    [Fact]
    public void Decide_NoContainer_Creates() =>
        Assert.Equal(ContainerAction.Create, RestartPolicyRules.Decide(null, "h1", "Always", init: false));

    [Fact]
    public void Decide_RunningSameSpec_Keeps() =>
        Assert.Equal(ContainerAction.Keep, RestartPolicyRules.Decide(Observed.Running("a"), "h1", "Always", init: false));

    [Fact]
    public void Decide_RunningChangedSpec_Replaces() =>
        Assert.Equal(ContainerAction.Replace, RestartPolicyRules.Decide(Observed.Running("a"), "h2", "Never", init: false));

    [Fact]
    public void Decide_RunningInitWithChangedSpec_KeepsRunningToCompletion() =>
        Assert.Equal(ContainerAction.Keep, RestartPolicyRules.Decide(Observed.Running("i", kind: "init"), "h2", "Always", init: true));

    [Fact]
    public void Decide_CreatedNeverStarted_Starts() =>
        Assert.Equal(ContainerAction.Start, RestartPolicyRules.Decide(Observed.Created("a"), "h1", "Always", init: false));

    [Theory]
    [InlineData("Always", 0, ContainerAction.Restart)]
    [InlineData("Always", 3, ContainerAction.Restart)]
    [InlineData("OnFailure", 0, ContainerAction.Done)]
    [InlineData("OnFailure", 3, ContainerAction.Restart)]
    [InlineData("Never", 0, ContainerAction.Done)]
    [InlineData("Never", 3, ContainerAction.Done)]
    public void Decide_ExitedApp_FollowsPolicy(string policy, int exit, ContainerAction expected) =>
        Assert.Equal(expected, RestartPolicyRules.Decide(Observed.Exited("a", exit), "h1", policy, init: false));

    [Theory]
    [InlineData("Always", 0, ContainerAction.Done)]
    [InlineData("Always", 1, ContainerAction.Restart)]
    [InlineData("Never", 1, ContainerAction.Done)]
    public void Decide_ExitedInit(string policy, int exit, ContainerAction expected) =>
        Assert.Equal(expected, RestartPolicyRules.Decide(Observed.Exited("i", exit, kind: "init"), "h1", policy, init: true));

    [Fact]
    public void Decide_StartFailed_CountsAsFailedRun()
    {
        var failed = Observed.StartFailed("a", "exec: \"nope\": executable file not found in $PATH", exitCode: 0);
        Assert.Equal(128, failed.EffectiveExitCode);
        Assert.Equal("ContainerCannotRun", failed.TerminationReason);
        Assert.Equal(ContainerAction.Restart, RestartPolicyRules.Decide(failed, "h1", "OnFailure", init: false));
        Assert.Equal(ContainerAction.Done, RestartPolicyRules.Decide(failed, "h1", "Never", init: false));
    }
}
