namespace Orchestrator.Agent.Node;

/// <summary>
/// Joining cannot succeed by retrying: a malformed or wrong token, a CA that does not match the token's hash, or a
/// join secret the server rejects. The agent prints the message and exits non-zero.
/// </summary>
public sealed class JoinFailedException(string message, Exception? inner = null) : Exception(message, inner);
