using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.CronJobs;
using Orchestrator.Core.Controllers.Jobs;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Core.Controllers.Jobs;
using Orchestrator.Tests.Support;
using static Orchestrator.Tests.Core.Controllers.Jobs.WorkloadTestKit;

namespace Orchestrator.Tests.Core.Controllers.CronJobs;

public class CronJobControllerTests
{
    // The test clock starts at 2026-11-22T00:00:00Z; the CronJobs are created then and run every five minutes.
    private static readonly DateTimeOffset Start0 = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    private static CronJobController NewController(TestCluster c, IKubeClient? client = null) =>
        new(c.Informers, client ?? c.Client, c.Events, c.Time, NullLogger<CronJobController>.Instance);

    private static JsonObject NewCronJob(string schedule = "*/5 * * * *", string policy = "Allow", Action<JsonObject>? edit = null)
    {
        var cj = new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "CronJob",
            ["metadata"] = new JsonObject { ["name"] = "tick", ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["schedule"] = schedule,
                ["concurrencyPolicy"] = policy,
                ["jobTemplate"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "batch" } },
                    ["spec"] = new JsonObject
                    {
                        ["template"] = new JsonObject
                        {
                            ["spec"] = new JsonObject { ["restartPolicy"] = "Never", ["containers"] = new JsonArray(Container()) },
                        },
                    },
                },
            },
        };
        edit?.Invoke(cj);
        return cj;
    }

    private static string JobAt(int minute) => CronJobController.JobName("tick", Start0.AddMinutes(minute));

    private static async Task<List<string>> JobNamesAsync(TestCluster c) =>
        (await c.Client.ListAsync(Kinds.Job, Ns)).Items.Where(j => !PodStatus.IsTerminating(j)).Select(j => j.Name()!).Order().ToList();

    private static async Task<JsonObject> CronJobAsync(TestCluster c) =>
        await c.Client.GetAsync(Kinds.CronJob, Ns, "tick") ?? throw new InvalidOperationException("gone");

    private static async Task<List<string>> ActiveAsync(TestCluster c) =>
        ((await CronJobAsync(c))["status"]?["active"] as JsonArray)?.Select(r => r.Str("name")!).Order().ToList() ?? [];

    /// <summary>Fakes the Job controller finishing a Job.</summary>
    private static async Task FinishAsync(TestCluster c, string name, bool success)
    {
        var job = (await c.Client.GetAsync(Kinds.Job, Ns, name))!;
        var status = new JsonObject { ["startTime"] = job["metadata"].Str("creationTimestamp") };
        var now = c.Time.GetUtcNow();
        if (success)
        {
            status["succeeded"] = 1;
            status["completionTime"] = KubeTime.Format(now);
            JobStatus.SetCondition(status, JobStatus.Complete, "True", "CompletionsReached", "done", now);
        }
        else
        {
            status["failed"] = 1;
            JobStatus.SetCondition(status, JobStatus.Failed, "True", "BackoffLimitExceeded", "failed", now);
        }
        job["status"] = status;
        await c.Client.UpdateStatusAsync(Kinds.Job, job);
    }

    /// <summary>Moves the clock to <paramref name="minute"/> past the start (plus a second), as the schedule's timers expect.</summary>
    private static async Task AdvanceToAsync(TestCluster c, int minute)
    {
        await Task.Delay(150); // let the controller finish reacting to the last change and arm its timer
        var by = Start0.AddMinutes(minute) + Slack - c.Time.GetUtcNow();
        if (by > TimeSpan.Zero) c.Time.Advance(by);
    }

    [Fact]
    public async Task Fires_AtScheduledTime_JobFromTemplate()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.CronJob, Ns, NewCronJob());

        await AdvanceToAsync(c, 4);
        await Task.Delay(200);
        Assert.Empty(await JobNamesAsync(c));

        await AdvanceToAsync(c, 5);
        await EventuallyWithRetriesAsync(c, async () => (await JobNamesAsync(c)).Count == 1, "the 00:05 job");
        var job = (await c.Client.GetAsync(Kinds.Job, Ns, JobAt(5)))!;
        Assert.Equal($"tick-{Start0.AddMinutes(5).ToUnixTimeSeconds() / 60}", job.Name());
        Assert.Equal("2026-11-22T00:05:00Z", job.Annotations()[CronJobController.ScheduledTimestampAnnotation]);
        Assert.Equal("batch", job.Labels()["team"]);
        Assert.True(OwnerReferences.IsControlledBy(job, await CronJobAsync(c)));
        await EventuallyWithRetriesAsync(c, async () => (await ActiveAsync(c)).SequenceEqual([JobAt(5)]), "status.active lists it");
        Assert.Equal("2026-11-22T00:05:00Z", (await CronJobAsync(c))["status"].Str("lastScheduleTime"));
        Assert.True(await HasEventAsync(c, "tick", "SuccessfulCreate"));

        await FinishAsync(c, JobAt(5), success: true);
        await EventuallyWithRetriesAsync(c, async () => (await ActiveAsync(c)).Count == 0, "the finished job leaves status.active");
        Assert.NotNull((await CronJobAsync(c))["status"].Str("lastSuccessfulTime"));
        await EventuallyWithRetriesAsync(c, () => HasEventAsync(c, "tick", "SawCompletedJob"), "a SawCompletedJob event");

        await AdvanceToAsync(c, 10);
        await EventuallyWithRetriesAsync(c, async () => (await JobNamesAsync(c)).SequenceEqual(new[] { JobAt(5), JobAt(10) }.Order()), "the 00:10 job");
    }

    [Fact]
    public async Task Allow_RunsConcurrently()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.CronJob, Ns, NewCronJob());
        await AdvanceToAsync(c, 5);
        await EventuallyWithRetriesAsync(c, async () => (await JobNamesAsync(c)).Count == 1, "first job");
        await AdvanceToAsync(c, 10);
        await EventuallyWithRetriesAsync(c, async () => (await ActiveAsync(c)).Count == 2, "both active");
    }

    [Fact]
    public async Task Forbid_SkipsWhileActive_ThenStartsTheMissedRun()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.CronJob, Ns, NewCronJob(policy: "Forbid"));
        await AdvanceToAsync(c, 5);
        await EventuallyWithRetriesAsync(c, async () => (await ActiveAsync(c)).Count == 1, "first job active");

        await AdvanceToAsync(c, 10);
        await EventuallyWithRetriesAsync(c, () => HasEventAsync(c, "tick", "JobAlreadyActive"), "the run is held back");
        Assert.Equal([JobAt(5)], await JobNamesAsync(c));

        await FinishAsync(c, JobAt(5), success: true);
        await EventuallyWithRetriesAsync(c, async () => (await JobNamesAsync(c)).Contains(JobAt(10)), "the 00:10 run starts once the first ends");
    }

    [Fact]
    public async Task Replace_DeletesTheActiveJob()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.CronJob, Ns, NewCronJob(policy: "Replace"));
        await AdvanceToAsync(c, 5);
        await EventuallyWithRetriesAsync(c, async () => (await ActiveAsync(c)).Count == 1, "first job active");

        await AdvanceToAsync(c, 10);
        await EventuallyWithRetriesAsync(c, async () => (await JobNamesAsync(c)).SequenceEqual([JobAt(10)]), "the first job replaced");
        await EventuallyWithRetriesAsync(c, async () => (await ActiveAsync(c)).SequenceEqual([JobAt(10)]), "only the new job active");
        Assert.True(await HasEventAsync(c, "tick", "SuccessfulDelete"));
    }

    [Fact]
    public async Task HistoryLimits_PruneOldestFinishedJobs()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.CronJob, Ns, NewCronJob(edit: cj =>
        {
            cj["spec"]!["successfulJobsHistoryLimit"] = 1;
            cj["spec"]!["failedJobsHistoryLimit"] = 1;
        }));
        var outcomes = new[] { true, true, false, false };
        for (var i = 0; i < outcomes.Length; i++)
        {
            var minute = 5 * (i + 1);
            await AdvanceToAsync(c, minute);
            await EventuallyWithRetriesAsync(c, async () => (await JobNamesAsync(c)).Contains(JobAt(minute)), $"job at minute {minute}");
            await FinishAsync(c, JobAt(minute), outcomes[i]);
        }
        await EventuallyWithRetriesAsync(c, async () => (await JobNamesAsync(c)).SequenceEqual(new[] { JobAt(10), JobAt(20) }.Order()),
            "one succeeded and one failed job kept");
    }

    [Fact]
    public async Task Suspend_NoRuns_ResumeStartsTheMostRecentMissed()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.CronJob, Ns, NewCronJob(edit: cj => cj["spec"]!["suspend"] = true));
        await AdvanceToAsync(c, 5);
        await AdvanceToAsync(c, 12);
        await Task.Delay(200);
        Assert.Empty(await JobNamesAsync(c));

        await UpdateAsync(c, Kinds.CronJob, Ns, "tick", cj => cj["spec"]!["suspend"] = false);
        await EventuallyWithRetriesAsync(c, async () => (await JobNamesAsync(c)).SequenceEqual([JobAt(10)]), "only the latest missed run starts");
    }

    [Fact]
    public async Task StartingDeadlineSeconds_RunMissedByMoreIsSkipped()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.CronJob, Ns, NewCronJob(edit: cj => cj["spec"]!["startingDeadlineSeconds"] = 60));
        await Task.Delay(150);
        c.Time.Advance(TimeSpan.FromMinutes(7)); // 00:05 is two minutes late when the controller looks
        await EventuallyWithRetriesAsync(c, () => HasEventAsync(c, "tick", "MissSchedule"), "a MissSchedule warning");
        Assert.Empty(await JobNamesAsync(c));

        await AdvanceToAsync(c, 10);
        await EventuallyWithRetriesAsync(c, async () => (await JobNamesAsync(c)).SequenceEqual([JobAt(10)]), "the next run is on time");
    }

    [Fact]
    public async Task TooManyMissed_WarnsAndRunsOnlyTheLatest()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.CronJob, Ns, NewCronJob(schedule: "* * * * *"));
        await Task.Delay(150);
        c.Time.Advance(TimeSpan.FromHours(3) + Slack);
        await EventuallyWithRetriesAsync(c, async () => (await JobNamesAsync(c)).Count == 1, "one job");
        Assert.Equal([JobAt(180)], await JobNamesAsync(c));
        await EventuallyWithRetriesAsync(c, () => HasEventAsync(c, "tick", "TooManyMissedTimes"), "a TooManyMissedTimes warning");
    }

    [Fact]
    public async Task TimeZone_ScheduleInTheNamedZone()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        // 09:00 in Tokyo is 00:00 UTC; created at exactly that instant, the next run is the following day.
        await c.Client.CreateAsync(Kinds.CronJob, Ns, NewCronJob(schedule: "0 9 * * *", edit: cj => cj["spec"]!["timeZone"] = "Asia/Tokyo"));
        await AdvanceToAsync(c, 23 * 60 + 59);
        await Task.Delay(200);
        Assert.Empty(await JobNamesAsync(c));
        await AdvanceToAsync(c, 24 * 60);
        await EventuallyWithRetriesAsync(c, async () => (await JobNamesAsync(c)).Count == 1, "the next morning's run");
        var job = (await c.Client.GetAsync(Kinds.Job, Ns, JobAt(24 * 60)))!;
        Assert.Equal("2026-11-23T09:00:00+09:00", job.Annotations()[CronJobController.ScheduledTimestampAnnotation]);
    }

    [Fact]
    public async Task StatusWriteConflict_AfterCreate_NoSecondJob()
    {
        await using var c = new TestCluster();
        var client = new FailingClient(c.Client, "CronJob", conflicts: 2);
        using var run = Start(c, NewController(c, client));
        await c.Client.CreateAsync(Kinds.CronJob, Ns, NewCronJob());
        await AdvanceToAsync(c, 5);
        await EventuallyWithRetriesAsync(c, async () => (await CronJobAsync(c))["status"].Str("lastScheduleTime") == "2026-11-22T00:05:00Z", "status written after conflicts");
        Assert.Equal([JobAt(5)], await JobNamesAsync(c));
        Assert.Equal([JobAt(5)], await ActiveAsync(c));
    }

    [Fact]
    public async Task Restart_RunMissedWhileDown_StartsOnReturn()
    {
        await using var c = new TestCluster();
        var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.CronJob, Ns, NewCronJob());
        await AdvanceToAsync(c, 5);
        await EventuallyWithRetriesAsync(c, async () => (await ActiveAsync(c)).Count == 1, "first job");
        await run.CancelAsync();
        run.Dispose();

        c.Time.Advance(TimeSpan.FromMinutes(6)); // 00:11, nobody watching
        using var run2 = Start(c, NewController(c));
        await EventuallyWithRetriesAsync(c, async () => (await JobNamesAsync(c)).Contains(JobAt(10)), "the missed 00:10 run");
        await EventuallyWithRetriesAsync(c, async () => (await ActiveAsync(c)).Count == 2, "both in status.active");
        Assert.Equal(2, (await JobNamesAsync(c)).Count);
    }
}
