using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Controllers.Jobs;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;
using static Orchestrator.Tests.Core.Controllers.Jobs.WorkloadTestKit;

namespace Orchestrator.Tests.Core.Controllers.Jobs;

public class TtlAfterFinishedControllerTests
{
    [Fact]
    public async Task FinishedJob_DeletedTtlSecondsAfterFinishing()
    {
        await using var c = new TestCluster();
        using var jobs = Start(c, new JobController(c.Informers, c.Client, c.Events, c.Time, NullLogger<JobController>.Instance));
        using var ttl = Start(c, new TtlAfterFinishedController(c.Informers, c.Client, c.Time, NullLogger<TtlAfterFinishedController>.Instance));
        var job = new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["name"] = "once", ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["ttlSecondsAfterFinished"] = 10,
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject { ["restartPolicy"] = "Never", ["containers"] = new JsonArray(Container()) },
                },
            },
        };
        await c.Client.CreateAsync(Kinds.Job, Ns, job);
        await EventuallyWithRetriesAsync(c, async () => (await PodsAsync(c, "job-name=once")).Count == 1, "the pod exists");
        await SetPodAsync(c, (await PodsAsync(c, "job-name=once")).Single().Name()!, "Succeeded");
        await EventuallyWithRetriesAsync(c, async () => JobStatus.FinishedAs((await c.Client.GetAsync(Kinds.Job, Ns, "once"))!) == "Complete", "the job completes");

        c.Time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(200);
        Assert.NotNull(await c.Client.GetAsync(Kinds.Job, Ns, "once"));
        c.Time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyWithRetriesAsync(c, async () => await c.Client.GetAsync(Kinds.Job, Ns, "once") == null, "the job is deleted after its TTL");
    }

    [Fact]
    public async Task JobWithoutTtl_Kept()
    {
        await using var c = new TestCluster();
        using var ttl = Start(c, new TtlAfterFinishedController(c.Informers, c.Client, c.Time, NullLogger<TtlAfterFinishedController>.Instance));
        var job = new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["name"] = "kept", ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject { ["restartPolicy"] = "Never", ["containers"] = new JsonArray(Container()) },
                },
            },
        };
        var created = await c.Client.CreateAsync(Kinds.Job, Ns, job);
        var status = new JsonObject();
        JobStatus.SetCondition(status, JobStatus.Complete, "True", "CompletionsReached", "done", c.Time.GetUtcNow());
        created["status"] = status;
        await c.Client.UpdateStatusAsync(Kinds.Job, created);
        c.Time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(300);
        Assert.NotNull(await c.Client.GetAsync(Kinds.Job, Ns, "kept"));
    }
}
