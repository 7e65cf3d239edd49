using System.Globalization;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Controllers.CronJobs;

/// <summary>
/// A parsed CronJob schedule, with the semantics of the standard cron parser Kubernetes uses:
/// <code>
///   minute hour day-of-month month day-of-week      e.g. "*/15 9-17 * * mon-fri"
///   field := item ("," item)*
///   item  := ("*" | "?" | n | n "-" m) ("/" step)?   n "/" step means n to the field's maximum
///   names : jan…dec in the month field, sun…sat (0…6) in the day-of-week field, any case
///   @yearly @annually @monthly @weekly @daily @midnight @hourly, and @every &lt;Go duration&gt;
/// </code>
/// Day of month and day of week: when either field starts with "*" (or "?") without a step above 1, both must match;
/// otherwise either may (so "0 0 13 * fri" runs on every 13th and every Friday).
/// Times are wall-clock times in the schedule's zone: a time that does not exist on a spring-forward day is skipped,
/// a time that happens twice on a fall-back day runs at its first occurrence.
/// </summary>
public sealed class CronSchedule
{
    private static readonly Dictionary<string, string> Descriptors = new(StringComparer.Ordinal)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

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

    // Searching further than this finds nothing a 5-field schedule could still produce (Feb 29 recurs within 8 years).
    private const int SearchYears = 9;

    private readonly ulong _minutes, _hours, _daysOfMonth, _months, _daysOfWeek;
    private readonly bool _domStar, _dowStar;
    private readonly TimeSpan? _every;

    private CronSchedule(ulong minutes, ulong hours, ulong dom, ulong months, ulong dow, bool domStar, bool dowStar, TimeSpan? every, TimeZoneInfo zone)
    {
        _minutes = minutes;
        _hours = hours;
        _daysOfMonth = dom;
        _months = months;
        _daysOfWeek = dow;
        _domStar = domStar;
        _dowStar = dowStar;
        _every = every;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Parses <paramref name="spec"/> for <paramref name="zone"/>; the error reads as the upstream parser's.</summary>
    public static bool TryParse(string spec, TimeZoneInfo zone, out CronSchedule schedule, out string error)
    {
        schedule = null!;
        error = CronScheduleValidation.Validate(spec) ?? "";
        if (error.Length > 0) return false;

        const string every = "@every ";
        if (spec.StartsWith(every, StringComparison.Ordinal))
        {
            var d = ParseGoDuration(spec[every.Length..]);
            // Sub-second intervals round up to a second, and the interval is whole seconds (as upstream's parser does).
            if (d < TimeSpan.FromSeconds(1)) d = TimeSpan.FromSeconds(1);
            d -= TimeSpan.FromTicks(d.Ticks % TimeSpan.TicksPerSecond);
            schedule = new CronSchedule(0, 0, 0, 0, 0, false, false, d, zone);
            return true;
        }
        var fields = (Descriptors.GetValueOrDefault(spec) ?? spec).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var (minutes, _) = Field(fields[0], 0, 59, NoNames);
        var (hours, _) = Field(fields[1], 0, 23, NoNames);
        var (dom, domStar) = Field(fields[2], 1, 31, NoNames);
        var (months, _) = Field(fields[3], 1, 12, Months);
        var (dow, dowStar) = Field(fields[4], 0, 6, Weekdays);
        schedule = new CronSchedule(minutes, hours, dom, months, dow, domStar, dowStar, null, zone);
        return true;
    }

    public static CronSchedule Parse(string spec, TimeZoneInfo zone) =>
        TryParse(spec, zone, out var s, out var error) ? s : throw new FormatException(error);

    /// <summary>The first activation strictly after <paramref name="after"/>, or null when there is none (e.g. "0 0 30 2 *").</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        if (_every is { } interval)
            return new DateTimeOffset(after.UtcTicks - after.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero) + interval;

        var wall = TimeZoneInfo.ConvertTime(after, Zone).DateTime;
        var t = new DateTime(wall.Year, wall.Month, wall.Day, wall.Hour, wall.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var limit = wall.Year + SearchYears;
        while (t.Year <= limit)
        {
            if (!Has(_months, t.Month))
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
                continue;
            }
            if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
                continue;
            }
            if (!Has(_hours, t.Hour))
            {
                t = t.Date.AddHours(t.Hour + 1);
                continue;
            }
            if (!Has(_minutes, t.Minute))
            {
                t = t.AddMinutes(1);
                continue;
            }
            if (ToInstant(t) is { } instant && instant > after) return instant;
            t = t.AddMinutes(1);
        }
        return null;
    }

    /// <summary>
    /// The latest activation in (<paramref name="after"/>, <paramref name="until"/>] and how many there were.
    /// Walks every activation in between, so callers bound the window (a year of a per-minute schedule is half a
    /// million steps); past <see cref="MaxSteps"/> the walk jumps to the last day of the window.
    /// </summary>
    public (DateTimeOffset? Latest, long Count) MostRecent(DateTimeOffset after, DateTimeOffset until)
    {
        DateTimeOffset? latest = null;
        long count = 0;
        var t = after;
        while (Next(t) is { } next && next <= until)
        {
            latest = next;
            count++;
            t = next;
            if (count == MaxSteps && until - TimeSpan.FromDays(1) > t)
            {
                // Far too many to matter one by one: count stays "more than MaxSteps", the latest is still exact.
                t = until - TimeSpan.FromDays(1);
            }
        }
        return (latest, count);
    }

    public const int MaxSteps = 100_000;

    private bool DayMatches(DateTime t)
    {
        var dom = Has(_daysOfMonth, t.Day);
        var dow = Has(_daysOfWeek, (int)t.DayOfWeek);
        return _domStar || _dowStar ? dom && dow : dom || dow;
    }

    private DateTimeOffset? ToInstant(DateTime wall)
    {
        if (Zone.IsInvalidTime(wall)) return null;
        if (Zone.IsAmbiguousTime(wall))
        {
            // The larger offset is the earlier instant (before the clocks went back).
            var offset = Zone.GetAmbiguousTimeOffsets(wall).Max();
            return new DateTimeOffset(wall, offset);
        }
        return new DateTimeOffset(wall, Zone.GetUtcOffset(wall));
    }

    private static bool Has(ulong mask, int value) => ((mask >> value) & 1) == 1;

    /// <summary>A field's bit set, and whether it is a "star" field for the day-of-month/day-of-week rule.</summary>
    private static (ulong Mask, bool Star) Field(string field, int min, int max, Dictionary<string, int> names)
    {
        ulong mask = 0;
        var star = false;
        foreach (var item in field.Split(','))
        {
            var rangeAndStep = item.Split('/');
            var bounds = rangeAndStep[0].Split('-');
            int start, end;
            var itemStar = false;
            if (bounds[0] is "*" or "?")
            {
                (start, end) = (min, max);
                itemStar = true;
            }
            else
            {
                start = Value(bounds[0], names);
                end = bounds.Length == 2 ? Value(bounds[1], names) : start;
            }
            var step = 1;
            if (rangeAndStep.Length == 2)
            {
                step = int.Parse(rangeAndStep[1], CultureInfo.InvariantCulture);
                if (bounds.Length == 1) end = max;
                if (step > 1) itemStar = false;
            }
            for (var v = start; v <= end; v += step) mask |= 1UL << v;
            star |= itemStar;
        }
        return (mask, star);
    }

    private static int Value(string text, Dictionary<string, int> names) =>
        names.TryGetValue(text, out var v) ? v : int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>Go's time.ParseDuration for the forms the validator admits: decimal numbers with units, summed.</summary>
    private static TimeSpan ParseGoDuration(string text)
    {
        double ticks = 0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
            var number = double.Parse(text[start..i], CultureInfo.InvariantCulture);
            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i])) i++;
            ticks += number * (text[unitStart..i] switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "us" or "µs" => 10.0,
                "ns" => 0.01,
                _ => 0,
            });
        }
        return TimeSpan.FromTicks((long)ticks);
    }
}
