using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Orchestrator.Agent.Runtime;

public sealed partial class DockerClient
{
    /// <summary>
    /// <c>POST /containers/create?name=…</c>. Returns the new id. 409 (<see cref="DockerApiException.IsConflict"/>)
    /// when the name is taken, 404 when the image is missing (this call never pulls).
    /// </summary>
    public async Task<string> CreateContainerAsync(string? name, ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        var path = "containers/create" + (name is null ? "" : $"?name={Escape(name)}");
        var created = await PostJsonAsync(path, request, Json.ContainerCreateRequest, Json.IdResponse, cancellationToken)
            .ConfigureAwait(false);
        return created.Id ?? throw new DockerApiException(HttpStatusCode.InternalServerError, "container create answered without an Id");
    }

    /// <summary><c>POST /containers/{id}/start</c>; starting a running container is not an error.</summary>
    public Task StartContainerAsync(string id, CancellationToken cancellationToken) =>
        PostAsync($"containers/{Escape(id)}/start", null, cancellationToken, tolerated: HttpStatusCode.NotModified);

    /// <summary>
    /// <c>POST /containers/{id}/stop?t=…</c>: the image's stop signal, then SIGKILL after <paramref name="timeout"/>.
    /// Stopping a stopped container is not an error. The call lasts up to the timeout.
    /// </summary>
    public Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken) =>
        PostAsync($"containers/{Escape(id)}/stop?t={(int)Math.Ceiling(timeout.TotalSeconds)}", null, cancellationToken,
            tolerated: HttpStatusCode.NotModified);

    /// <summary><c>POST /containers/{id}/kill?signal=…</c>; 409 when the container is not running.</summary>
    public Task KillContainerAsync(string id, string signal, CancellationToken cancellationToken) =>
        PostAsync($"containers/{Escape(id)}/kill?signal={Escape(signal)}", null, cancellationToken);

    /// <summary><c>DELETE /containers/{id}?force=…&amp;v=…</c>; <paramref name="volumes"/> removes its anonymous volumes.</summary>
    public Task RemoveContainerAsync(string id, bool force, bool volumes, CancellationToken cancellationToken) =>
        DeleteAsync($"containers/{Escape(id)}?force={Bool(force)}&v={Bool(volumes)}", cancellationToken);

    /// <summary><c>GET /containers/{id}/json</c>; 404 when there is no such container.</summary>
    public Task<ContainerInspect> InspectContainerAsync(string id, CancellationToken cancellationToken) =>
        GetJsonAsync($"containers/{Escape(id)}/json", Json.ContainerInspect, cancellationToken);

    /// <summary>The container, or null when it does not exist.</summary>
    public async Task<ContainerInspect?> TryInspectContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>GET /containers/json</c>, e.g. with <c>{"label": ["k=v"]}</c> filters (all must match);
    /// <paramref name="all"/> includes stopped containers.
    /// </summary>
    public Task<List<ContainerSummary>> ListContainersAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>>? filters, bool all, CancellationToken cancellationToken) =>
        GetJsonAsync($"containers/json?all={Bool(all)}&" + FiltersQuery(filters), Json.ListContainerSummary, cancellationToken);

    /// <summary>Containers carrying every one of <paramref name="labels"/> (<c>key=value</c> or bare <c>key</c>).</summary>
    public Task<List<ContainerSummary>> ListContainersByLabelAsync(IEnumerable<string> labels, bool all,
        CancellationToken cancellationToken) =>
        ListContainersAsync(new Dictionary<string, IReadOnlyList<string>> { ["label"] = labels.ToList() }, all, cancellationToken);

    /// <summary>
    /// <c>POST /containers/{id}/wait?condition=…</c>: blocks until the condition holds and returns the exit code.
    /// Not retried (a long call that may have waited already).
    /// </summary>
    public async Task<long> WaitContainerAsync(string id, WaitCondition condition, CancellationToken cancellationToken)
    {
        var name = condition switch
        {
            WaitCondition.NotRunning => "not-running",
            WaitCondition.NextExit => "next-exit",
            _ => "removed",
        };
        var result = await PostJsonOrEmptyAsync($"containers/{Escape(id)}/wait?condition={name}", cancellationToken).ConfigureAwait(false);
        if (result.Error?.Message is { Length: > 0 } message)
            throw new DockerApiException(HttpStatusCode.InternalServerError, message);
        return result.StatusCode;
    }

    private async Task<ContainerWaitResponse> PostJsonOrEmptyAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path), cancellationToken,
            HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        return await ReadJsonAsync(response, Json.ContainerWaitResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /containers/{id}/resize</c>: the Tty size of the container's main process.</summary>
    public Task ResizeContainerTtyAsync(string id, int height, int width, CancellationToken cancellationToken) =>
        PostAsync($"containers/{Escape(id)}/resize?h={height}&w={width}", null, cancellationToken);

    /// <summary>
    /// <c>GET /containers/{id}/logs</c> as (stream, bytes) frames: demultiplexed when the container has no Tty, raw
    /// (all stdout) when it has one. With <see cref="LogsOptions.Follow"/> the sequence ends when the container stops
    /// or the token is cancelled.
    /// </summary>
    public async IAsyncEnumerable<OutputFrame> GetLogsAsync(string id, LogsOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tty = options.Tty ?? (await InspectContainerAsync(id, cancellationToken).ConfigureAwait(false)).Config?.Tty ?? false;
        var query = $"containers/{Escape(id)}/logs?follow={Bool(options.Follow)}&stdout={Bool(options.Stdout)}" +
                    $"&stderr={Bool(options.Stderr)}&timestamps={Bool(options.Timestamps)}" +
                    $"&tail={(options.Tail is int tail ? tail.ToString() : "all")}";
        if (options.Since is { } since)
            query += $"&since={UnixSeconds(since)}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, query), cancellationToken,
            HttpCompletionOption.ResponseHeadersRead, retryServerErrors: true).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var frame in OutputStreamReader.ReadAsync(stream, !tty, cancellationToken).ConfigureAwait(false))
            yield return frame;
    }

    /// <summary>Docker takes fractional Unix seconds (<c>1700000000.123456789</c>) for since/until.</summary>
    private static string UnixSeconds(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }
        return $"{seconds}.{remainder * 100:D9}";
    }
}
