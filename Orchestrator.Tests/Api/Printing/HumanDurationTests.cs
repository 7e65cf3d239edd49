using Orchestrator.Api.Printing;

namespace Orchestrator.Tests.Api.Printing;

public class HumanDurationTests
{
    [Theory]
    // Skew tolerance: down to -1s reads as 0s, below is invalid.
    [InlineData(-5, "<invalid>")]
    [InlineData(-2, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(-0.5, "0s")]
    // Seconds below two minutes.
    [InlineData(0, "0s")]
    [InlineData(1, "1s")]
    [InlineData(95, "95s")]
    [InlineData(119, "119s")]
    // Minutes and seconds below ten minutes.
    [InlineData(120, "2m")]
    [InlineData(330, "5m30s")]
    [InlineData(599, "9m59s")]
    // Minutes below three hours.
    [InlineData(600, "10m")]
    [InlineData(2700, "45m")]
    [InlineData(3 * 3600 - 1, "179m")]
    // Hours and minutes below eight hours.
    [InlineData(3 * 3600, "3h")]
    [InlineData(5 * 3600 + 30 * 60, "5h30m")]
    [InlineData(8 * 3600 - 1, "7h59m")]
    // Hours below two days.
    [InlineData(8 * 3600, "8h")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(48 * 3600 - 1, "47h")]
    // Days and hours below eight days.
    [InlineData(48 * 3600, "2d")]
    [InlineData(77 * 3600, "3d5h")]
    [InlineData(8 * 86400 - 1, "7d23h")]
    // Days below two years.
    [InlineData(8 * 86400, "8d")]
    [InlineData(100 * 86400, "100d")]
    [InlineData(730 * 86400 - 1, "729d")]
    // Years and days below eight years.
    [InlineData(730 * 86400, "2y")]
    [InlineData(760 * 86400, "2y30d")]
    [InlineData(2920.0 * 86400 - 1, "7y364d")]
    // Years.
    [InlineData(2920.0 * 86400, "8y")]
    [InlineData(4000.0 * 86400, "10y")]
    public void Format_Bands(double seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
}
