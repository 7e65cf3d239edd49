namespace Orchestrator.Tests.Api.Printing;

public class CronJobPrinterTests
{
    [Fact]
    public void Columns() =>
        Assert.Equal("Name:0|Schedule:0|Timezone:0|Suspend:0|Active:0|Last Schedule:0|Age:0|Containers:1|Images:1|Selector:1",
            Print.Columns("batch", "CronJob"));

    [Fact]
    public void Row_Scheduled()
    {
        var json = """
            {"metadata":{"name":"hello","creationTimestamp":"CREATED"},
             "spec":{"schedule":"*/5 * * * *","timeZone":"Etc/UTC","suspend":false,
               "jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"hello","image":"busybox"}]}}}}},
             "status":{"active":[{"name":"hello-1"}],"lastScheduleTime":"LAST"}}
            """.Replace("CREATED", Print.Ago(TimeSpan.FromDays(3))).Replace("LAST", Print.Minutes(4));
        Assert.Equal("hello|*/5 * * * *|Etc/UTC|False|1|4m|3d|hello|busybox|<none>", Print.Row("batch", "CronJob", json));
    }

    [Fact]
    public void NeverScheduled_NoneAndUnset() =>
        Assert.Equal("c|@hourly|<none>|<unset>|0|<none>|<unknown>|||<none>",
            Print.Row("batch", "CronJob", """{"metadata":{"name":"c"},"spec":{"schedule":"@hourly"}}"""));
}
