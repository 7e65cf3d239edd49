namespace Orchestrator.Agent.Probes;

/// <summary>
/// An httpGet handler got no answer: refused, timed out, reset, too many redirects. The message is worded as Go's
/// HTTP client words it (<c>Get "http://…": dial tcp …: connect: connection refused</c>), which is what the kubelet
/// puts in its events.
/// </summary>
public sealed class HttpGetException(string message, Exception? inner = null) : Exception(message, inner);
