using System.Globalization;

namespace Orchestrator.Core.Model;

/// <summary>
/// The two timestamp forms of the Kubernetes API: <c>Time</c> (RFC 3339, whole seconds, UTC "Z") used by
/// creationTimestamp, conditions and most status fields, and <c>MicroTime</c> (six fractional digits) used by
/// Leases and events.k8s.io. One place, so every writer agrees with every reader.
/// </summary>
public static class KubeTime
{
    public static string Format(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string FormatMicro(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Either form (or any RFC 3339 time), read as UTC; null when absent or unreadable.</summary>
    public static DateTimeOffset? Parse(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
