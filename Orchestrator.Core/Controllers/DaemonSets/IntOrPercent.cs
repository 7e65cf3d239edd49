using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Core.Controllers.DaemonSets;

/// <summary>An intstr value ("25%" or 3) scaled against a total, as upstream's GetScaledValueFromIntOrPercent.</summary>
public static class IntOrPercent
{
    public static int Scaled(JsonNode? value, int total, bool roundUp, int fallback)
    {
        if (value is not JsonValue v) return fallback;
        if (v.GetValueKind() == JsonValueKind.Number) return (int)v.GetValue<double>();
        if (v.GetValueKind() != JsonValueKind.String) return fallback;
        var s = v.GetValue<string>();
        if (s.EndsWith('%') && double.TryParse(s[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pct))
        {
            var scaled = pct * total / 100.0;
            return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
        }
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;
    }
}
