namespace Orchestrator.Agent.Runtime;

/// <summary>The query of <c>GET /containers/{id}/logs</c>.</summary>
public sealed record LogsOptions
{
    public bool Follow { get; init; }
    public bool Stdout { get; init; } = true;
    public bool Stderr { get; init; } = true;
    /// <summary>Only the last N lines; null means all.</summary>
    public int? Tail { get; init; }
    /// <summary>Only lines written at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }
    /// <summary>Prefix each line with its RFC 3339 nano timestamp and a space.</summary>
    public bool Timestamps { get; init; }
    /// <summary>
    /// Whether the container has a Tty (raw output) or not (multiplexed frames). Null: the client inspects the
    /// container to find out, since API 1.41 does not say so in the content type.
    /// </summary>
    public bool? Tty { get; init; }
}
