using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// A container's probe (<c>livenessProbe</c>, <c>readinessProbe</c>, <c>startupProbe</c>) with the API's defaults
/// filled in: initialDelaySeconds 0, periodSeconds 10, timeoutSeconds 1, successThreshold 1, failureThreshold 3.
/// <see cref="Spec"/> is the probe object itself; it holds the handler (exec, httpGet, tcpSocket or grpc).
/// </summary>
public sealed record ProbeSettings(
    JsonObject Spec,
    TimeSpan InitialDelay,
    TimeSpan Period,
    TimeSpan Timeout,
    int SuccessThreshold,
    int FailureThreshold)
{
    public const int DefaultPeriodSeconds = 10;
    public const int DefaultTimeoutSeconds = 1;
    public const int DefaultFailureThreshold = 3;

    /// <summary>The container's probe of that kind, or null when it has none.</summary>
    public static ProbeSettings? For(JsonObject container, ProbeKind kind) =>
        container[SpecField(kind)] is JsonObject probe ? Parse(probe, kind) : null;

    public static string SpecField(ProbeKind kind) => kind switch
    {
        ProbeKind.Startup => "startupProbe",
        ProbeKind.Liveness => "livenessProbe",
        _ => "readinessProbe",
    };

    /// <summary>
    /// Reads a probe. Values the API server would have rejected (zero or negative periods) fall back to the defaults
    /// rather than making a timer spin; successThreshold is forced to 1 for liveness and startup, as validation
    /// requires, so a probe that slipped through cannot need two successes to stay alive.
    /// </summary>
    public static ProbeSettings Parse(JsonObject probe, ProbeKind kind)
    {
        var success = Positive(probe, "successThreshold", 1);
        return new ProbeSettings(
            probe,
            TimeSpan.FromSeconds(Math.Max(0, probe.Long("initialDelaySeconds") ?? 0)),
            TimeSpan.FromSeconds(Positive(probe, "periodSeconds", DefaultPeriodSeconds)),
            TimeSpan.FromSeconds(Positive(probe, "timeoutSeconds", DefaultTimeoutSeconds)),
            kind == ProbeKind.Readiness ? success : 1,
            Positive(probe, "failureThreshold", DefaultFailureThreshold));
    }

    private static int Positive(JsonObject probe, string field, int fallback) =>
        probe.Long(field) is long v and > 0 and <= int.MaxValue ? (int)v : fallback;
}
