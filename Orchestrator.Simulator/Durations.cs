using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Simulator;

/// <summary>
/// Go-style durations as the flags and annotations take them: a sequence of number+unit ("1s", "500ms", "1m30s",
/// "1.5h"), units ns us ms s m h; a bare "0" is zero.
/// </summary>
public static partial class Durations
{
    [GeneratedRegex(@"^(?:(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (s == "0") return true;
        if (!Whole().IsMatch(s)) return false;
        double ms = 0;
        foreach (Match m in Part().Matches(s))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            ms += m.Groups[2].Value switch
            {
                "ns" => n / 1_000_000,
                "us" or "µs" => n / 1000,
                "ms" => n,
                "s" => n * 1000,
                "m" => n * 60_000,
                _ => n * 3_600_000,
            };
        }
        duration = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"not a duration (e.g. 1s, 500ms, 1m30s): {text}");
}
