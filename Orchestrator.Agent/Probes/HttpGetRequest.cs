namespace Orchestrator.Agent.Probes;

/// <summary>
/// The GET an httpGet handler sends: the URL (scheme, host, port, path and query) and the headers as the spec lists
/// them (a <c>Host</c> header overrides the request's Host, as in Go).
/// </summary>
public sealed record HttpGetRequest(Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers);
