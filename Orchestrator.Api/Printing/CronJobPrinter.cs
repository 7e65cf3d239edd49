using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>CronJobs: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST-SCHEDULE AGE [CONTAINERS IMAGES SELECTOR].</summary>
internal sealed class CronJobPrinter : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        TableColumn.Str("Schedule", "Cron schedule of the job."),
        TableColumn.Str("Timezone", "Time zone the schedule is read in."),
        new("Suspend", "boolean", "", "Whether new runs are held back.", 0),
        TableColumn.Int("Active", "Jobs currently running."),
        TableColumn.Str("Last Schedule", "Time since a job was last scheduled."),
        TableColumn.Age,
        TableColumn.Containers,
        TableColumn.Images,
        TableColumn.Str("Selector", "Label query over the pods of the jobs.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject cj, PrintContext context)
    {
        var spec = cj["spec"];
        var status = cj["status"];
        var suspend = spec.Bool("suspend") switch { true => "True", false => "False", null => "<unset>" };
        var lastSchedule = status.Str("lastScheduleTime") is { Length: > 0 } last ? context.Since(last) : PrintFormat.None;
        var (names, images) = PrintFormat.Containers(spec.At("jobTemplate.spec.template.spec"));
        return
        [
            cj.Name() ?? "",
            spec.Str("schedule") ?? "",
            PrintFormat.OrNone(spec.Str("timeZone")),
            suspend,
            (long)PrintFormat.Items(status.At("active")).Count(),
            lastSchedule,
            context.Age(cj),
            names,
            images,
            PrintFormat.LabelSelectorOrNone(spec.At("jobTemplate.spec.selector")),
        ];
    }
}
