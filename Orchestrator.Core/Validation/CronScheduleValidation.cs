using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Core.Validation;

/// <summary>
/// Checks a CronJob schedule the way the standard five-field cron parser used by Kubernetes does:
/// minute hour day-of-month month day-of-week, each a comma list of <c>*</c>, <c>?</c>, <c>n</c> or
/// <c>a-b</c>, optionally <c>/step</c>; month and weekday names; and the <c>@hourly</c>-style descriptors.
/// Messages mirror the parser's, since they reach users verbatim through the 422.
/// </summary>
public static partial class CronScheduleValidation
{
    private static readonly string[] Descriptors = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

    private static readonly Dictionary<string, int> Months = new(StringComparer.OrdinalIgnoreCase)
    {
        ["jan"] = 1, ["feb"] = 2, ["mar"] = 3, ["apr"] = 4, ["may"] = 5, ["jun"] = 6,
        ["jul"] = 7, ["aug"] = 8, ["sep"] = 9, ["oct"] = 10, ["nov"] = 11, ["dec"] = 12,
    };

    private static readonly Dictionary<string, int> Weekdays = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sun"] = 0, ["mon"] = 1, ["tue"] = 2, ["wed"] = 3, ["thu"] = 4, ["fri"] = 5, ["sat"] = 6,
    };

    private static readonly Dictionary<string, int> NoNames = new();

    private static readonly (int Min, int Max, Dictionary<string, int> Names)[] Fields =
    [
        (0, 59, NoNames), (0, 23, NoNames), (1, 31, NoNames), (1, 12, Months), (0, 6, Weekdays),
    ];

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")] private static partial Regex GoDuration();

    /// <summary>The parse error, or null when the schedule is valid.</summary>
    public static string? Validate(string schedule)
    {
        if (schedule.Contains("TZ", StringComparison.Ordinal))
            return "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
        if (schedule.Length == 0) return "empty spec string";

        if (schedule.StartsWith('@'))
        {
            if (Descriptors.Contains(schedule)) return null;
            const string every = "@every ";
            if (schedule.StartsWith(every, StringComparison.Ordinal))
            {
                var d = schedule[every.Length..];
                return GoDuration().IsMatch(d) ? null : $"failed to parse duration {schedule}: time: invalid duration \"{d}\"";
            }
            return $"unrecognized descriptor: {schedule}";
        }

        var fields = schedule.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
            return $"expected exactly 5 fields, found {fields.Length}: [{string.Join(' ', fields)}]";
        for (var i = 0; i < fields.Length; i++)
            foreach (var expr in fields[i].Split(','))
                if (CheckRange(expr, Fields[i].Min, Fields[i].Max, Fields[i].Names) is { } error) return error;
        return null;
    }

    private static string? CheckRange(string expr, int min, int max, Dictionary<string, int> names)
    {
        var rangeAndStep = expr.Split('/');
        var lowAndHigh = rangeAndStep[0].Split('-');
        int start, end;
        var singleDigit = lowAndHigh.Length == 1;

        if (lowAndHigh[0] is "*" or "?")
        {
            start = min;
            end = max;
        }
        else
        {
            if (ParseIntOrName(lowAndHigh[0], names, out start) is { } e1) return e1;
            switch (lowAndHigh.Length)
            {
                case 1:
                    end = start;
                    break;
                case 2:
                    if (ParseIntOrName(lowAndHigh[1], names, out end) is { } e2) return e2;
                    break;
                default:
                    return $"too many hyphens: {expr}";
            }
        }

        switch (rangeAndStep.Length)
        {
            case 1:
                break;
            case 2:
                if (MustParseInt(rangeAndStep[1], out var step) is { } e3) return e3;
                // "n/step" means "from n to the field's maximum, every step".
                if (singleDigit) end = max;
                if (step == 0) return $"step of range should be a positive number: {expr}";
                break;
            default:
                return $"too many slashes: {expr}";
        }

        if (start < min) return $"beginning of range ({start}) below minimum ({min}): {expr}";
        if (end > max) return $"end of range ({end}) above maximum ({max}): {expr}";
        if (start > end) return $"beginning of range ({start}) beyond end of range ({end}): {expr}";
        return null;
    }

    private static string? ParseIntOrName(string expr, Dictionary<string, int> names, out int value) =>
        names.TryGetValue(expr, out value) ? null : MustParseInt(expr, out value);

    private static string? MustParseInt(string expr, out int value)
    {
        var digits = expr.StartsWith('-') || expr.StartsWith('+') ? expr[1..] : expr;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) ||
            !int.TryParse(expr, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            value = 0;
            return $"failed to parse int from {expr}: strconv.Atoi: parsing \"{expr}\": invalid syntax";
        }
        return value < 0 ? $"negative number ({value}) not allowed: {expr}" : null;
    }
}
