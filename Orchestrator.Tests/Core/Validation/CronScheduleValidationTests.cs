using Orchestrator.Core.Validation;

namespace Orchestrator.Tests.Core.Validation;

public class CronScheduleValidationTests
{
    [Theory]
    [InlineData("* * * * *")]
    [InlineData("*/5 * * * *")]
    [InlineData("0 0 * * 0")]
    [InlineData("0 9-17 * * mon-fri")]
    [InlineData("15,45 */2 1-15 jan,jul SUN")]
    [InlineData("5/10 * * * *")]
    [InlineData("0 0 ? * *")]
    [InlineData("@hourly")]
    [InlineData("@daily")]
    [InlineData("@midnight")]
    [InlineData("@weekly")]
    [InlineData("@monthly")]
    [InlineData("@yearly")]
    [InlineData("@annually")]
    [InlineData("@every 1h30m")]
    public void Validate_ValidSchedules(string schedule) => Assert.Null(CronScheduleValidation.Validate(schedule));

    [Theory]
    [InlineData("", "empty spec string")]
    [InlineData("foo", "expected exactly 5 fields, found 1: [foo]")]
    [InlineData("* * * *", "expected exactly 5 fields, found 4: [* * * *]")]
    [InlineData("60 * * * *", "end of range (60) above maximum (59): 60")]
    [InlineData("* 24 * * *", "end of range (24) above maximum (23): 24")]
    [InlineData("* * 0 * *", "beginning of range (0) below minimum (1): 0")]
    [InlineData("* * * 13 *", "end of range (13) above maximum (12): 13")]
    [InlineData("* * * * 7", "end of range (7) above maximum (6): 7")]
    [InlineData("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1")]
    [InlineData("*/0 * * * *", "step of range should be a positive number: */0")]
    [InlineData("1-2-3 * * * *", "too many hyphens: 1-2-3")]
    [InlineData("*/2/3 * * * *", "too many slashes: */2/3")]
    [InlineData("x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("@often", "unrecognized descriptor: @often")]
    [InlineData("TZ=UTC * * * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")]
    public void Validate_InvalidSchedules(string schedule, string expected) =>
        Assert.Equal(expected, CronScheduleValidation.Validate(schedule));
}
