namespace Orchestrator.Agent.Images;

/// <summary>
/// Whether a container's image is present. When it is not, <see cref="Reason"/> is what the container's waiting
/// state shows: <c>ErrImagePull</c> right after a failed pull, <c>ImagePullBackOff</c> while waiting to retry,
/// <c>ErrImageNeverPull</c> for policy Never, <c>InvalidImageName</c>; <see cref="Message"/> says why.
/// </summary>
public sealed record ImagePullOutcome(bool Ready, string? ImageId, string? Reason, string? Message)
{
    public static ImagePullOutcome Present(string imageId) => new(true, imageId, null, null);

    public static ImagePullOutcome Waiting(string reason, string message) => new(false, null, reason, message);
}
