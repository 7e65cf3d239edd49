namespace Orchestrator.Agent.Probes;

/// <summary>
/// The final answer to an httpGet handler after the redirects it may follow, with at most
/// <see cref="HttpGetAction.MaxBodyBytes"/> of its body.
/// </summary>
public sealed record HttpGetResponse(int StatusCode, string Body);
