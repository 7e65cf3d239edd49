using System.Globalization;
using Orchestrator.Core.Controllers.CronJobs;

namespace Orchestrator.Tests.Core.Controllers.CronJobs;

public class CronScheduleTests
{
    private static DateTimeOffset T(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Theory]
    // 2026-11-22 is a Sunday.
    [InlineData("* * * * *", "UTC", "2026-11-22T00:00:30Z", "2026-11-22T00:01:00Z")]
    [InlineData("* * * * *", "UTC", "2026-11-22T00:01:00Z", "2026-11-22T00:02:00Z")]
    [InlineData("*/15 * * * *", "UTC", "2026-11-22T00:01:00Z", "2026-11-22T00:15:00Z")]
    [InlineData("*/15 * * * *", "UTC", "2026-11-22T00:45:00Z", "2026-11-22T01:00:00Z")]
    [InlineData("5/20 * * * *", "UTC", "2026-11-22T00:06:00Z", "2026-11-22T00:25:00Z")]
    [InlineData("0 9-17/4 * * *", "UTC", "2026-11-22T10:00:00Z", "2026-11-22T13:00:00Z")]
    [InlineData("0 9-17/4 * * *", "UTC", "2026-11-22T17:00:00Z", "2026-11-23T09:00:00Z")]
    [InlineData("15,45 * * * *", "UTC", "2026-11-22T00:20:00Z", "2026-11-22T00:45:00Z")]
    [InlineData("0 0 1 jan,JUL *", "UTC", "2026-11-22T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 * * mon-fri", "UTC", "2026-11-22T00:00:00Z", "2026-11-23T00:00:00Z")]
    [InlineData("0 0 * * SAT", "UTC", "2026-11-22T00:00:00Z", "2026-11-28T00:00:00Z")]
    [InlineData("0 0 * * 0", "UTC", "2026-11-22T00:00:00Z", "2026-11-29T00:00:00Z")]
    // Day of month and day of week: either, when neither is a star…
    [InlineData("0 0 13 * fri", "UTC", "2026-11-22T00:00:00Z", "2026-11-27T00:00:00Z")]
    [InlineData("0 0 13 * fri", "UTC", "2026-11-27T00:00:00Z", "2026-12-04T00:00:00Z")]
    [InlineData("0 0 23 * fri", "UTC", "2026-11-22T00:00:00Z", "2026-11-23T00:00:00Z")]
    // … both, when one is (a stepped star is not a star).
    [InlineData("0 0 13 * *", "UTC", "2026-11-22T00:00:00Z", "2026-12-13T00:00:00Z")]
    [InlineData("0 0 * * fri", "UTC", "2026-11-22T00:00:00Z", "2026-11-27T00:00:00Z")]
    [InlineData("0 0 ? * fri", "UTC", "2026-11-22T00:00:00Z", "2026-11-27T00:00:00Z")]
    [InlineData("0 0 */2 * fri", "UTC", "2026-11-22T00:00:00Z", "2026-11-23T00:00:00Z")]
    [InlineData("0 0 */10 * fri", "UTC", "2026-11-22T00:00:00Z", "2026-11-27T00:00:00Z")]
    [InlineData("0 0 29 2 *", "UTC", "2026-11-22T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("@hourly", "UTC", "2026-11-22T00:30:00Z", "2026-11-22T01:00:00Z")]
    [InlineData("@daily", "UTC", "2026-11-22T00:30:00Z", "2026-11-23T00:00:00Z")]
    [InlineData("@midnight", "UTC", "2026-11-22T00:30:00Z", "2026-11-23T00:00:00Z")]
    [InlineData("@weekly", "UTC", "2026-11-22T00:00:00Z", "2026-11-29T00:00:00Z")]
    [InlineData("@monthly", "UTC", "2026-11-22T00:00:00Z", "2026-12-01T00:00:00Z")]
    [InlineData("@yearly", "UTC", "2026-11-22T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("@annually", "UTC", "2026-11-22T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("@every 90m", "UTC", "2026-11-22T00:00:30.5Z", "2026-11-22T01:30:30Z")]
    [InlineData("@every 1h30m10s", "UTC", "2026-11-22T00:00:00Z", "2026-11-22T01:30:10Z")]
    // Time zones: wall-clock times in the zone.
    [InlineData("0 9 * * *", "America/New_York", "2026-11-22T00:00:00Z", "2026-11-22T14:00:00Z")]
    [InlineData("0 9 * * *", "America/New_York", "2026-07-01T00:00:00Z", "2026-07-01T13:00:00Z")]
    [InlineData("0 12 * * *", "Europe/Berlin", "2026-06-01T00:00:00Z", "2026-06-01T10:00:00Z")]
    [InlineData("0 0 * * mon", "Asia/Tokyo", "2026-11-22T00:00:00Z", "2026-11-22T15:00:00Z")]
    // Spring forward (2027-03-14 in New York): 02:30 does not exist that day and is skipped.
    [InlineData("30 2 * * *", "America/New_York", "2027-03-13T12:00:00Z", "2027-03-15T06:30:00Z")]
    // Fall back (2026-11-01): 01:30 happens twice; it runs at the first.
    [InlineData("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", "2026-11-01T05:30:00Z")]
    [InlineData("30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z")]
    public void Next_Table(string spec, string zone, string after, string expected)
    {
        var schedule = CronSchedule.Parse(spec, TimeZoneInfo.FindSystemTimeZoneById(zone));
        Assert.Equal(T(expected), schedule.Next(T(after)));
    }

    [Fact]
    public void Next_ImpossibleDate_Null()
    {
        var schedule = CronSchedule.Parse("0 0 30 2 *", TimeZoneInfo.Utc);
        Assert.Null(schedule.Next(T("2026-11-22T00:00:00Z")));
    }

    [Theory]
    [InlineData("", "empty spec string")]
    [InlineData("* * * *", "expected exactly 5 fields, found 4: [* * * *]")]
    [InlineData("60 * * * *", "end of range (60) above maximum (59): 60")]
    [InlineData("* * * * 7", "end of range (7) above maximum (6): 7")]
    [InlineData("* * * * funday", "failed to parse int from funday: strconv.Atoi: parsing \"funday\": invalid syntax")]
    [InlineData("@often", "unrecognized descriptor: @often")]
    public void TryParse_Invalid_ReportsUpstreamMessage(string spec, string message)
    {
        Assert.False(CronSchedule.TryParse(spec, TimeZoneInfo.Utc, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("*/5 * * * *", "2026-11-22T00:00:00Z", "2026-11-22T00:17:00Z", "2026-11-22T00:15:00Z", 3)]
    [InlineData("*/5 * * * *", "2026-11-22T00:15:00Z", "2026-11-22T00:17:00Z", null, 0)]
    [InlineData("0 * * * *", "2026-11-22T00:00:00Z", "2026-11-27T00:00:00Z", "2026-11-27T00:00:00Z", 120)]
    public void MostRecent_Table(string spec, string after, string until, string? latest, long count)
    {
        var schedule = CronSchedule.Parse(spec, TimeZoneInfo.Utc);
        var (found, n) = schedule.MostRecent(T(after), T(until));
        Assert.Equal(latest == null ? null : T(latest), found);
        Assert.Equal(count, n);
    }

    [Fact]
    public void MostRecent_HugeWindow_StillExactLatest()
    {
        var schedule = CronSchedule.Parse("* * * * *", TimeZoneInfo.Utc);
        var (found, n) = schedule.MostRecent(T("2026-01-01T00:00:00Z"), T("2026-11-22T00:00:30Z"));
        Assert.Equal(T("2026-11-22T00:00:00Z"), found);
        Assert.True(n > 100);
    }
}
