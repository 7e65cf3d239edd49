namespace Orchestrator.Api.Printing;

/// <summary>
/// Renders an elapsed time the way apimachinery's <c>duration.HumanDuration</c> does, so AGE and similar cells read
/// exactly as against a real cluster. Precision drops as the span grows:
/// &lt;2m "95s"; &lt;10m "5m30s"; &lt;3h "45m"; &lt;8h "5h30m"; &lt;48h "30h"; &lt;8d "3d5h"; &lt;2y "100d"; &lt;8y "2y30d"; else "9y".
/// </summary>
public static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        // Clock skew of up to two seconds between writer and reader still reads as "now".
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 60 * 2) return $"{seconds}s";

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }
        if (minutes < 60 * 3) return $"{minutes}m";

        var hours = minutes / 60;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }
        if (hours < 48) return $"{hours}h";
        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }
        if (hours < 24 * 365 * 2) return $"{hours / 24}d";
        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{days}d";
        }
        return $"{hours / 24 / 365}y";
    }
}
