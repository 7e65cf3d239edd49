namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>
/// The informer cache does not yet show a write this controller made. Acting on it could duplicate or undo that
/// write, so the sync fails and the work queue retries it after a short back-off.
/// </summary>
public sealed class StaleCacheException(string message) : Exception(message);
