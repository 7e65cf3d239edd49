using System.Runtime.CompilerServices;

namespace Orchestrator.Agent.Runtime;

public sealed partial class DockerClient
{
    /// <summary>
    /// <c>GET /events</c> as a stream of typed events, e.g. with filters <c>{"type":["container"],"label":["k=v"]}</c>.
    /// Runs until the token is cancelled (or <paramref name="until"/> passes, or the daemon goes away: the caller
    /// re-lists and resubscribes with <paramref name="since"/>).
    /// </summary>
    public async IAsyncEnumerable<DockerEvent> GetEventsAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>>? filters, DateTimeOffset? since, DateTimeOffset? until,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = "events?" + FiltersQuery(filters);
        if (since is { } s)
            query += $"&since={UnixSeconds(s)}";
        if (until is { } u)
            query += $"&until={UnixSeconds(u)}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, query), cancellationToken,
            HttpCompletionOption.ResponseHeadersRead, retryServerErrors: true).ConfigureAwait(false);
        await foreach (var e in ReadJsonLinesAsync(response, Json.DockerEvent, cancellationToken).ConfigureAwait(false))
            yield return e;
    }
}
