using Orchestrator.Agent.Pods;

namespace Orchestrator.Tests.Agent.Pods;

public sealed class PodContainerPruningTests
{
    [Fact]
    public void KeepsNewestAndNewestExitedPerName_AndNewestSandbox()
    {
        var pod = Observed.Pod(
            Observed.Sandbox(1), Observed.Sandbox(0, running: false),
            Observed.Running("app", attempt: 3), Observed.Exited("app", 1, attempt: 2), Observed.Exited("app", 1, attempt: 1),
            Observed.Exited("app", 1, attempt: 0),
            Observed.Exited("side", 0, attempt: 0));
        var doomed = PodContainerPruning.Superfluous(pod).Select(c => c.Id).OrderBy(x => x).ToList();
        Assert.Equal(["app-0", "app-1", "sandbox-0"], doomed);
    }

    [Fact]
    public void ExitedLatest_KeepsItAndOnePrevious()
    {
        var pod = Observed.Pod(Observed.Exited("app", 1, attempt: 2), Observed.Exited("app", 1, attempt: 1), Observed.Exited("app", 1, attempt: 0));
        Assert.Equal(["app-0"], PodContainerPruning.Superfluous(pod).Select(c => c.Id));
    }

    [Fact]
    public void DeadNewestSandbox_IsKeptForTheNextAttemptNumber()
    {
        var pod = Observed.Pod(Observed.Sandbox(2, running: false), Observed.Sandbox(1, running: false));
        Assert.Equal(["sandbox-1"], PodContainerPruning.Superfluous(pod).Select(c => c.Id));
    }
}
