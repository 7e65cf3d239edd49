using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Core.Scheduling;

/// <summary>
/// A Kubernetes resource quantity ("100m", "1.5Gi", "2e3", "128974848"), held as an exact decimal.
/// <code>
/// quantity ::= sign? digits ("." digits?)? suffix?  |  sign? "." digits suffix?
/// suffix   ::= binarySI (Ki Mi Gi Ti Pi Ei) | decimalSI (n u m "" k M G T P E) | ("e"|"E") sign? digits
/// </code>
/// Values are rounded up when asked for as whole units or millis, as upstream's Value()/MilliValue() do, so a
/// request of "0.5m" cpu still counts as 1 millicore.
/// </summary>
public readonly record struct Quantity(decimal Amount)
{
    public static readonly Quantity Zero = new(0m);

    /// <summary>Whole units, rounded up (bytes for memory, pods for pods, cores for cpu).</summary>
    public long Value => (long)Math.Ceiling(Amount);

    /// <summary>Thousandths of a unit, rounded up (millicores for cpu).</summary>
    public long MilliValue => (long)Math.Ceiling(Amount * 1000m);

    public static Quantity Parse(string text) =>
        TryParse(text, out var q) ? q : throw new FormatException($"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': \"{text}\"");

    public static bool TryParse(string? text, out Quantity quantity)
    {
        quantity = Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        var i = 0;
        if (s[i] is '+' or '-') i++;
        var digits = 0;
        var dots = 0;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
        {
            if (s[i] == '.') dots++;
            else digits++;
            i++;
        }
        if (digits == 0 || dots > 1) return false;
        if (!decimal.TryParse(s[..i], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            return false;

        var suffix = s[i..];
        decimal multiplier;
        try
        {
            if (!TryMultiplier(suffix, out multiplier)) return false;
            quantity = new Quantity(number * multiplier);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static bool TryMultiplier(string suffix, out decimal multiplier)
    {
        multiplier = suffix switch
        {
            "" => 1m,
            "n" => 0.000000001m,
            "u" => 0.000001m,
            "m" => 0.001m,
            "k" => 1_000m,
            "M" => 1_000_000m,
            "G" => 1_000_000_000m,
            "T" => 1_000_000_000_000m,
            "P" => 1_000_000_000_000_000m,
            "E" => 1_000_000_000_000_000_000m,
            "Ki" => 1024m,
            "Mi" => 1024m * 1024,
            "Gi" => 1024m * 1024 * 1024,
            "Ti" => 1024m * 1024 * 1024 * 1024,
            "Pi" => 1024m * 1024 * 1024 * 1024 * 1024,
            "Ei" => 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
            _ => -1m,
        };
        if (multiplier > 0) return true;

        // A decimal exponent: e3, E-2, e+6. Bounded so the result stays inside decimal's range.
        if (suffix.Length < 2 || suffix[0] is not ('e' or 'E')) return false;
        if (!int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)) return false;
        if (exponent is < -27 or > 27) return false;
        multiplier = 1m;
        for (var k = 0; k < Math.Abs(exponent); k++) multiplier = exponent > 0 ? multiplier * 10m : multiplier / 10m;
        return true;
    }

    /// <summary>A quantity as JSON carries it: usually a string, sometimes a bare number (<c>cpu: 2</c>).</summary>
    public static Quantity? FromJson(JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        if (v.TryGetValue<string>(out var s)) return TryParse(s, out var q) ? q : null;
        if (v.TryGetValue<long>(out var l)) return new Quantity(l);
        if (v.TryGetValue<int>(out var i)) return new Quantity(i);
        if (v.TryGetValue<double>(out var d)) return new Quantity((decimal)d);
        if (v.TryGetValue<decimal>(out var m)) return new Quantity(m);
        return null;
    }

    public override string ToString() => Amount.ToString(CultureInfo.InvariantCulture);
}
