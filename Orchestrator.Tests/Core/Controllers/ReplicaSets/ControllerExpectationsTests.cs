using Orchestrator.Core.Controllers.ReplicaSets;
using Orchestrator.Tests.Support;

namespace Orchestrator.Tests.Core.Controllers.ReplicaSets;

public class ControllerExpectationsTests
{
    private const string Key = "default/web";

    [Fact]
    public void Satisfied_NothingRecorded_True()
    {
        Assert.True(new ControllerExpectations(new ManualTimeProvider()).Satisfied(Key));
    }

    [Fact]
    public void Satisfied_CreationsObserved_TrueOnlyWhenAllSeen()
    {
        var e = new ControllerExpectations(new ManualTimeProvider());
        e.ExpectCreations(Key, 2);
        Assert.False(e.Satisfied(Key));
        e.CreationObserved(Key);
        Assert.False(e.Satisfied(Key));
        Assert.Equal((1, 0), e.Pending(Key));
        e.CreationObserved(Key);
        Assert.True(e.Satisfied(Key));
        e.CreationObserved(Key); // an extra pod (adoption race) does not go negative in a harmful way
        Assert.True(e.Satisfied(Key));
    }

    [Fact]
    public void Satisfied_DeletionsCountOncePerPodAndOnlyForRequestedPods()
    {
        var e = new ControllerExpectations(new ManualTimeProvider());
        e.ExpectDeletions(Key, ["default/a", "default/b"]);
        e.DeletionObserved(Key, "default/a");
        e.DeletionObserved(Key, "default/a"); // marked for deletion, then deleted: still one
        e.DeletionObserved(Key, "default/zzz"); // not ours to wait for
        Assert.Equal((0, 1), e.Pending(Key));
        Assert.False(e.Satisfied(Key));
        e.DeletionObserved(Key, "default/b");
        Assert.True(e.Satisfied(Key));
    }

    [Fact]
    public void Satisfied_AfterTimeout_True()
    {
        var clock = new ManualTimeProvider();
        var e = new ControllerExpectations(clock);
        e.ExpectCreations(Key, 3);
        clock.Advance(ControllerExpectations.Timeout);
        Assert.False(e.Satisfied(Key));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(e.Satisfied(Key));
    }

    [Fact]
    public void Delete_ForgetsTheOwner()
    {
        var e = new ControllerExpectations(new ManualTimeProvider());
        e.ExpectCreations(Key, 3);
        e.Delete(Key);
        Assert.True(e.Satisfied(Key));
        Assert.Equal((0, 0), e.Pending(Key));
    }
}
