using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers.Jobs;
using Orchestrator.Core.Model;
using Orchestrator.Tests.Support;
using static Orchestrator.Tests.Core.Controllers.Jobs.WorkloadTestKit;

namespace Orchestrator.Tests.Core.Controllers.Jobs;

public class JobControllerTests
{
    private static JobController NewController(TestCluster c, IKubeClient? client = null) =>
        new(c.Informers, client ?? c.Client, c.Events, c.Time, NullLogger<JobController>.Instance);

    private static JsonObject NewJob(string name, long? completions = 1, long? parallelism = 1, long backoffLimit = 6,
        string restartPolicy = "Never", string mode = "NonIndexed", Action<JsonObject>? edit = null)
    {
        var spec = new JsonObject
        {
            ["parallelism"] = parallelism,
            ["backoffLimit"] = backoffLimit,
            ["completionMode"] = mode,
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["restartPolicy"] = restartPolicy,
                    ["containers"] = new JsonArray(Container()),
                },
            },
        };
        if (completions != null) spec["completions"] = completions;
        var job = new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
            ["spec"] = spec,
        };
        edit?.Invoke(job);
        return job;
    }

    private static async Task<JsonObject> JobAsync(TestCluster c, string name) =>
        await c.Client.GetAsync(Kinds.Job, Ns, name) ?? throw new InvalidOperationException("job gone");

    private static async Task<List<JsonObject>> ActivePodsAsync(TestCluster c, string job) =>
        (await PodsAsync(c, "job-name=" + job)).Where(p => p["status"].Str("phase") is null or "Pending" or "Running").ToList();

    private static async Task<bool> HasConditionAsync(TestCluster c, string job, string type, string? reason = null)
    {
        var cond = JobStatus.Condition(await JobAsync(c, job), type);
        return cond?.Str("status") == "True" && (reason == null || cond.Str("reason") == reason);
    }

    [Fact]
    public async Task Completions2Parallelism1_RunsTwoPodsOneAfterTheOther_ThenComplete()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.Job, Ns, NewJob("pi", completions: 2, parallelism: 1));

        await EventuallyWithRetriesAsync(c, async () => (await PodsAsync(c, "job-name=pi")).Count == 1, "the first pod exists");
        var first = (await PodsAsync(c, "job-name=pi")).Single();
        Assert.StartsWith("pi-", first.Name());
        Assert.Equal("Job", first["metadata"]!["ownerReferences"]![0]!.Str("kind"));
        Assert.Equal((await JobAsync(c, "pi")).Uid(), first.Labels()["controller-uid"]);
        await EventuallyWithRetriesAsync(c, async () => (await JobAsync(c, "pi"))["status"].Long("active") == 1, "status.active is 1");
        Assert.NotNull((await JobAsync(c, "pi"))["status"].Str("startTime"));

        await SetPodAsync(c, first.Name()!, "Running", ready: true);
        await EventuallyWithRetriesAsync(c, async () => (await JobAsync(c, "pi"))["status"].Long("ready") == 1, "status.ready is 1");
        await SetPodAsync(c, first.Name()!, "Succeeded");
        await EventuallyWithRetriesAsync(c, async () => (await PodsAsync(c, "job-name=pi")).Count == 2, "a second pod follows the first");
        Assert.Single(await ActivePodsAsync(c, "pi"));
        await EventuallyWithRetriesAsync(c, async () => (await JobAsync(c, "pi"))["status"].Long("succeeded") == 1, "one success counted");

        var second = (await ActivePodsAsync(c, "pi")).Single();
        await SetPodAsync(c, second.Name()!, "Succeeded");
        await EventuallyWithRetriesAsync(c, () => HasConditionAsync(c, "pi", "Complete"), "the job completes");
        var job = await JobAsync(c, "pi");
        Assert.Equal(2, job["status"].Long("succeeded"));
        Assert.Null(job["status"].Long("active"));
        Assert.NotNull(job["status"].Str("completionTime"));
        Assert.Equal(2, (await PodsAsync(c, "job-name=pi")).Count); // finished pods are kept
        await EventuallyWithRetriesAsync(c, () => HasEventAsync(c, "pi", "Completed"), "a Completed event");
        Assert.True(await HasEventAsync(c, "pi", "SuccessfulCreate"));
    }

    [Fact]
    public async Task BackoffLimitExceeded_Failed()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.Job, Ns, NewJob("crash", backoffLimit: 1));

        await EventuallyWithRetriesAsync(c, async () => (await ActivePodsAsync(c, "crash")).Count == 1, "pod 1 runs");
        await SetPodAsync(c, (await ActivePodsAsync(c, "crash")).Single().Name()!, "Failed");

        // The replacement waits out the failure back-off (10 s after the first failure).
        await EventuallyWithRetriesAsync(c, async () => (await JobAsync(c, "crash"))["status"].Long("failed") == 1, "one failure counted");
        await Task.Delay(200);
        Assert.Empty(await ActivePodsAsync(c, "crash"));
        c.Time.Advance(TimeSpan.FromSeconds(10));
        await EventuallyWithRetriesAsync(c, async () => (await ActivePodsAsync(c, "crash")).Count == 1 &&
                                                      (await PodsAsync(c, "job-name=crash")).Count == 2, "pod 2 runs after the back-off");
        await SetPodAsync(c, (await ActivePodsAsync(c, "crash")).Single().Name()!, "Failed");
        await EventuallyWithRetriesAsync(c, () => HasConditionAsync(c, "crash", "Failed", "BackoffLimitExceeded"), "the job fails");
        var job = await JobAsync(c, "crash");
        Assert.Equal(2, job["status"].Long("failed"));
        Assert.Null(job["status"].Str("completionTime"));
        Assert.Equal(2, (await PodsAsync(c, "job-name=crash")).Count); // no third pod
        await EventuallyWithRetriesAsync(c, () => HasEventAsync(c, "crash", "BackoffLimitExceeded"), "a BackoffLimitExceeded event");
    }

    [Fact]
    public async Task OnFailure_ContainerRestartsCountTowardBackoff_ActivePodDeleted()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.Job, Ns, NewJob("flaky", backoffLimit: 2, restartPolicy: "OnFailure"));
        await EventuallyWithRetriesAsync(c, async () => (await ActivePodsAsync(c, "flaky")).Count == 1, "a pod runs");
        var pod = (await ActivePodsAsync(c, "flaky")).Single();

        await SetPodAsync(c, pod.Name()!, "Running", restarts: 1);
        await Task.Delay(200);
        Assert.False(await HasConditionAsync(c, "flaky", "Failed"));
        await SetPodAsync(c, pod.Name()!, "Running", restarts: 2);
        await EventuallyWithRetriesAsync(c, () => HasConditionAsync(c, "flaky", "Failed", "BackoffLimitExceeded"), "restarts exhaust the backoff limit");
        await EventuallyWithRetriesAsync(c, async () => (await PodsAsync(c, "job-name=flaky")).Count == 0, "the restarting pod is deleted");
    }

    [Fact]
    public async Task ActiveDeadlineSeconds_FailsWithDeadlineExceeded()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.Job, Ns, NewJob("slow", edit: j => j["spec"]!["activeDeadlineSeconds"] = 30));
        await EventuallyWithRetriesAsync(c, async () => (await ActivePodsAsync(c, "slow")).Count == 1 &&
                                                      (await JobAsync(c, "slow"))["status"].Long("active") == 1, "a pod runs");

        c.Time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200);
        Assert.False(await HasConditionAsync(c, "slow", "Failed"));
        c.Time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyWithRetriesAsync(c, () => HasConditionAsync(c, "slow", "Failed", "DeadlineExceeded"), "the deadline passes");
        await EventuallyWithRetriesAsync(c, async () => (await PodsAsync(c, "job-name=slow")).Count == 0, "the active pod is deleted");
        await EventuallyWithRetriesAsync(c, () => HasEventAsync(c, "slow", "DeadlineExceeded"), "a DeadlineExceeded event");
    }

    [Fact]
    public async Task Indexed_OnePodPerIndex_CompletedIndexesTracked()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.Job, Ns, NewJob("idx", completions: 4, parallelism: 3, mode: "Indexed"));

        await EventuallyWithRetriesAsync(c, async () => (await ActivePodsAsync(c, "idx")).Count == 3, "three indexed pods");
        var pods = await ActivePodsAsync(c, "idx");
        var byIndex = pods.ToDictionary(p => p.Annotations()[JobStatus.CompletionIndexAnnotation]);
        Assert.Equal(["0", "1", "2"], byIndex.Keys.Order());
        var pod1 = byIndex["1"];
        Assert.StartsWith("idx-1-", pod1.Name());
        Assert.Equal("1", pod1.Labels()[JobStatus.CompletionIndexAnnotation]);
        Assert.Equal("idx-1", pod1["spec"].Str("hostname"));
        var env = pod1["spec"]!["containers"]![0]!["env"]!.AsArray().OfType<JsonObject>().Single(e => e.Str("name") == "JOB_COMPLETION_INDEX");
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", env["valueFrom"]!["fieldRef"].Str("fieldPath"));

        await SetPodAsync(c, pod1.Name()!, "Succeeded");
        await EventuallyWithRetriesAsync(c, async () => (await JobAsync(c, "idx"))["status"].Str("completedIndexes") == "1", "index 1 done");
        await EventuallyWithRetriesAsync(c, async () => (await ActivePodsAsync(c, "idx")).Any(p => p.Annotations()[JobStatus.CompletionIndexAnnotation] == "3"), "index 3 starts");

        // A failed index is retried with a new pod for the same index.
        await SetPodAsync(c, byIndex["0"].Name()!, "Failed");
        await EventuallyWithRetriesAsync(c, async () => (await JobAsync(c, "idx"))["status"].Long("failed") == 1, "index 0 failure counted");
        c.Time.Advance(TimeSpan.FromSeconds(10));
        await EventuallyWithRetriesAsync(c, async () => (await ActivePodsAsync(c, "idx")).Count(p => p.Annotations()[JobStatus.CompletionIndexAnnotation] == "0") == 1, "index 0 retried");

        foreach (var p in await ActivePodsAsync(c, "idx")) await SetPodAsync(c, p.Name()!, "Succeeded");
        await EventuallyWithRetriesAsync(c, () => HasConditionAsync(c, "idx", "Complete"), "every index done");
        var status = (await JobAsync(c, "idx"))["status"];
        Assert.Equal("0-3", status.Str("completedIndexes"));
        Assert.Equal(1, status.Long("failed"));
    }

    [Fact]
    public async Task WorkQueue_NoCompletions_DoneWhenOneSucceededAndAllFinished()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.Job, Ns, NewJob("queue", completions: null, parallelism: 2));
        await EventuallyWithRetriesAsync(c, async () => (await ActivePodsAsync(c, "queue")).Count == 2, "two workers");
        var pods = await ActivePodsAsync(c, "queue");

        await SetPodAsync(c, pods[0].Name()!, "Succeeded");
        await EventuallyWithRetriesAsync(c, async () => (await JobAsync(c, "queue"))["status"].Long("succeeded") == 1, "one worker done");
        await Task.Delay(200);
        Assert.Single(await ActivePodsAsync(c, "queue")); // no replacement once one succeeded
        Assert.False(await HasConditionAsync(c, "queue", "Complete"));

        await SetPodAsync(c, pods[1].Name()!, "Succeeded");
        await EventuallyWithRetriesAsync(c, () => HasConditionAsync(c, "queue", "Complete"), "the job completes");
    }

    [Fact]
    public async Task Suspend_DeletesActivePods_ResumeRestarts()
    {
        await using var c = new TestCluster();
        using var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.Job, Ns, NewJob("paused", edit: j => j["spec"]!["suspend"] = true));
        await EventuallyWithRetriesAsync(c, () => HasConditionAsync(c, "paused", "Suspended"), "the job is suspended");
        Assert.Empty(await PodsAsync(c, "job-name=paused"));
        Assert.Null((await JobAsync(c, "paused"))["status"].Str("startTime"));

        await UpdateAsync(c, Kinds.Job, Ns, "paused", j => j["spec"]!["suspend"] = false);
        await EventuallyWithRetriesAsync(c, async () => (await ActivePodsAsync(c, "paused")).Count == 1, "resumed: a pod runs");
        await EventuallyWithRetriesAsync(c, async () => JobStatus.Condition(await JobAsync(c, "paused"), "Suspended")?.Str("status") == "False", "Suspended=False");

        await UpdateAsync(c, Kinds.Job, Ns, "paused", j => j["spec"]!["suspend"] = true);
        await EventuallyWithRetriesAsync(c, async () => (await PodsAsync(c, "job-name=paused")).Count == 0, "suspended again: the pod goes");
    }

    [Fact]
    public async Task StatusWriteConflict_RetriedUntilWritten()
    {
        await using var c = new TestCluster();
        var client = new FailingClient(c.Client, "Job", conflicts: 2);
        using var run = Start(c, NewController(c, client));
        await c.Client.CreateAsync(Kinds.Job, Ns, NewJob("contested"));
        await EventuallyWithRetriesAsync(c, async () => (await JobAsync(c, "contested"))["status"].Long("active") == 1, "status written after conflicts");
        Assert.Equal(2, client.Conflicts);
        Assert.Single(await PodsAsync(c, "job-name=contested")); // the retries did not create extra pods
    }

    [Fact]
    public async Task Restart_MidWay_NewInstanceConverges()
    {
        await using var c = new TestCluster();
        var run = Start(c, NewController(c));
        await c.Client.CreateAsync(Kinds.Job, Ns, NewJob("resumable", completions: 3, parallelism: 1));
        await EventuallyWithRetriesAsync(c, async () => (await ActivePodsAsync(c, "resumable")).Count == 1, "first pod");
        await SetPodAsync(c, (await ActivePodsAsync(c, "resumable")).Single().Name()!, "Succeeded");
        await EventuallyWithRetriesAsync(c, async () => (await ActivePodsAsync(c, "resumable")).Count == 1 &&
                                                      (await PodsAsync(c, "job-name=resumable")).Count == 2, "second pod");
        await run.CancelAsync();
        run.Dispose();

        // While no controller runs, the second pod finishes.
        await SetPodAsync(c, (await ActivePodsAsync(c, "resumable")).Single().Name()!, "Succeeded");
        using var run2 = Start(c, NewController(c));
        await EventuallyWithRetriesAsync(c, async () => (await ActivePodsAsync(c, "resumable")).Count == 1 &&
                                                      (await PodsAsync(c, "job-name=resumable")).Count == 3, "third pod after restart");
        await SetPodAsync(c, (await ActivePodsAsync(c, "resumable")).Single().Name()!, "Succeeded");
        await EventuallyWithRetriesAsync(c, () => HasConditionAsync(c, "resumable", "Complete"), "complete after restart");
        Assert.Equal(3, (await PodsAsync(c, "job-name=resumable")).Count);
    }
}
