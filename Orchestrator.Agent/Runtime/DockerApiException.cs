using System.Net;

namespace Orchestrator.Agent.Runtime;

/// <summary>
/// The daemon answered with an error: Docker's <c>{"message": ...}</c> body, or an error message embedded in a
/// streamed progress response (pull, import), which Docker reports with a 200 status.
/// </summary>
public sealed class DockerApiException : Exception
{
    public DockerApiException(HttpStatusCode statusCode, string message)
        : base($"Docker API error {(int)statusCode} ({statusCode}): {message}")
    {
        StatusCode = statusCode;
        DockerMessage = message;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The daemon's message, without our prefix.</summary>
    public string DockerMessage { get; }

    /// <summary>No such container, image, exec instance or network.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>Conflict: a name in use, a container that is running when it must not be, and the like.</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    /// <summary>304: start of a started container, stop of a stopped one.</summary>
    public bool IsNotModified => StatusCode == HttpStatusCode.NotModified;
}
