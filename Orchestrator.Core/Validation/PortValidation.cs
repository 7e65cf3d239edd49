using System.Text.RegularExpressions;

namespace Orchestrator.Core.Validation;

/// <summary>Port numbers and IANA service names (RFC 6335 §5.1) as Kubernetes checks them.</summary>
public static partial class PortValidation
{
    public const int PortNameMaxLength = 15;

    [GeneratedRegex("^[-a-z0-9]+$")] private static partial Regex PortNameCharset();
    [GeneratedRegex("[a-z]")] private static partial Regex OneLetter();

    public static List<string> IsValidPortName(string name)
    {
        var errors = new List<string>();
        if (name.Length > PortNameMaxLength) errors.Add(NameValidation.MaxLenError(PortNameMaxLength));
        if (!PortNameCharset().IsMatch(name))
            errors.Add("must contain only alphanumeric characters (a-z, 0-9), and hyphens (-)");
        if (!OneLetter().IsMatch(name)) errors.Add("must contain at least one letter (a-z)");
        if (name.Contains("--", StringComparison.Ordinal)) errors.Add("must not contain consecutive hyphens");
        if (name.Length > 0 && (name[0] == '-' || name[^1] == '-')) errors.Add("must not begin or end with a hyphen");
        return errors;
    }

    public static List<string> IsValidPortNum(long port) =>
        port is >= 1 and <= 65535 ? [] : [InclusiveRangeError(1, 65535)];

    public static List<string> IsInRange(long value, long min, long max) =>
        value >= min && value <= max ? [] : [InclusiveRangeError(min, max)];

    public static string InclusiveRangeError(long lo, long hi) => $"must be between {lo} and {hi}, inclusive";
}
