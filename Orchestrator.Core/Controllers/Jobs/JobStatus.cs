using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Jobs;

/// <summary>Reading and writing batch/v1 Job status the way the Job, CronJob and TTL controllers all need it.</summary>
public static class JobStatus
{
    public const string Complete = "Complete";
    public const string Failed = "Failed";
    public const string Suspended = "Suspended";
    public const string CompletionIndexAnnotation = "batch.kubernetes.io/job-completion-index";


    public static JsonObject? Condition(JsonObject job, string type) =>
        (job["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);

    public static bool IsTrue(JsonObject job, string type) => Condition(job, type)?.Str("status") == "True";

    /// <summary>Complete or Failed, or null while the Job runs.</summary>
    public static string? FinishedAs(JsonObject job) =>
        IsTrue(job, Complete) ? Complete : IsTrue(job, Failed) ? Failed : null;

    /// <summary>When the Job finished: its finishing condition's transition time (completionTime for Complete).</summary>
    public static DateTimeOffset? FinishTime(JsonObject job)
    {
        if (FinishedAs(job) is not { } type) return null;
        return KubeTime.Parse(Condition(job, type)?.Str("lastTransitionTime")) ??
               KubeTime.Parse(job["status"].Str("completionTime"));
    }

    /// <summary>Sets a condition on <paramref name="status"/>; the transition time moves only when the status value changes.</summary>
    public static void SetCondition(JsonObject status, string type, string value, string reason, string message, DateTimeOffset now)
    {
        var conditions = status["conditions"] as JsonArray ?? new JsonArray();
        status["conditions"] = conditions;
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == type);
        var stamp = KubeTime.Format(now);
        if (existing == null)
        {
            conditions.Add(new JsonObject
            {
                ["type"] = type,
                ["status"] = value,
                ["lastProbeTime"] = stamp,
                ["lastTransitionTime"] = stamp,
                ["reason"] = reason,
                ["message"] = message,
            });
            return;
        }
        if (existing.Str("status") != value) existing["lastTransitionTime"] = stamp;
        existing["status"] = value;
        existing["lastProbeTime"] = stamp;
        existing["reason"] = reason;
        existing["message"] = message;
    }

    /// <summary>The completion index a pod of an Indexed Job was created for, or null.</summary>
    public static int? IndexOf(JsonObject pod) =>
        int.TryParse(pod.Annotations().GetValueOrDefault(CompletionIndexAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;

    /// <summary>Parses status.completedIndexes ("1,3-5,7") into a set; malformed parts are ignored.</summary>
    public static SortedSet<int> ParseIndexes(string? text)
    {
        var result = new SortedSet<int>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-');
            if (bounds.Length == 1 && int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var single))
                result.Add(single);
            else if (bounds.Length == 2 &&
                     int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var lo) &&
                     int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hi))
                for (var i = lo; i <= hi; i++) result.Add(i);
        }
        return result;
    }

    /// <summary>Formats indexes as upstream does: ascending, comma separated, each run of consecutive indexes as "a-b".</summary>
    public static string FormatIndexes(IEnumerable<int> indexes)
    {
        var parts = new List<string>();
        int? start = null, prev = null;
        foreach (var i in indexes.Distinct().Order())
        {
            if (prev is { } p && i == p + 1)
            {
                prev = i;
                continue;
            }
            if (start is { } s) parts.Add(s == prev ? Str(s) : $"{Str(s)}-{Str(prev!.Value)}");
            start = prev = i;
        }
        if (start is { } last) parts.Add(last == prev ? Str(last) : $"{Str(last)}-{Str(prev!.Value)}");
        return string.Join(",", parts);
    }

    private static string Str(int i) => i.ToString(CultureInfo.InvariantCulture);
}
