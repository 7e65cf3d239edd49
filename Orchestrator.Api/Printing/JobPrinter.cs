using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>
/// Jobs: NAME STATUS COMPLETIONS DURATION AGE [CONTAINERS IMAGES SELECTOR].
/// STATUS takes the first that holds of: Complete, Failed, Terminating, Suspended, FailureTarget,
/// else Running (a job that only met its success criteria still reads Running, as in 1.32).
/// COMPLETIONS is "succeeded/completions", or "n/1 of P" for work queues with parallelism P &gt; 1.
/// DURATION runs from startTime to completionTime (or to now while running); empty before the job starts.
/// </summary>
internal sealed class JobPrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Status", "Status of the job."),
        TableColumn.Str("Completions", "Succeeded pods out of required completions."),
        TableColumn.Str("Duration", "Time the job took or has taken so far."),
        TableColumn.Age,
        TableColumn.Containers,
        TableColumn.Images,
        TableColumn.Str("Selector", "Label query over the pods the job manages.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject job, PrintContext context)
    {
        var spec = job["spec"];
        var status = job["status"];
        var succeeded = PrintFormat.Int(status, "succeeded");

        string completions;
        if (spec.Long("completions") is { } wanted)
            completions = $"{succeeded}/{wanted}";
        else
        {
            var parallelism = spec.Long("parallelism") ?? 0;
            completions = parallelism > 1 ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";
        }

        var started = PrintContext.ParseTime(status.Str("startTime"));
        var completed = PrintContext.ParseTime(status.Str("completionTime"));
        var duration = started is null ? "" : HumanDuration.Format((completed ?? context.Now) - started.Value);

        var (names, images) = PrintFormat.Containers(job.At("spec.template.spec"));
        return
        [
            job.Name() ?? "",
            Status(job),
            completions,
            duration,
            context.Age(job),
            names,
            images,
            PrintFormat.LabelSelectorOrNone(spec.At("selector")),
        ];
    }

    private static string Status(JsonObject job)
    {
        if (PrintFormat.HasTrueCondition(job, "Complete")) return "Complete";
        if (PrintFormat.HasTrueCondition(job, "Failed")) return "Failed";
        if (job.At("metadata.deletionTimestamp") is JsonValue) return "Terminating";
        if (PrintFormat.HasTrueCondition(job, "Suspended")) return "Suspended";
        if (PrintFormat.HasTrueCondition(job, "FailureTarget")) return "FailureTarget";
        return "Running";
    }
}
