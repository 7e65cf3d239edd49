namespace Orchestrator.Agent.Images;

/// <summary>A container's <c>imagePullPolicy</c>.</summary>
public enum ImagePullPolicy
{
    /// <summary>Pull every time a container starts (the registry answers quickly when nothing changed).</summary>
    Always,

    /// <summary>Pull only when the image is missing.</summary>
    IfNotPresent,

    /// <summary>Never pull; a missing image is <c>ErrImageNeverPull</c>.</summary>
    Never,
}

/// <summary>How the policy is read from a container.</summary>
public static class ImagePullPolicies
{
    /// <summary>
    /// The container's policy, or the API's default when it has none (or one we do not know): Always for
    /// <c>:latest</c> and untagged images, IfNotPresent otherwise (a digest counts as a tag).
    /// </summary>
    public static ImagePullPolicy Effective(string? declared, ImageReference image) => declared switch
    {
        "Always" => ImagePullPolicy.Always,
        "IfNotPresent" => ImagePullPolicy.IfNotPresent,
        "Never" => ImagePullPolicy.Never,
        _ => image.IsLatest ? ImagePullPolicy.Always : ImagePullPolicy.IfNotPresent,
    };
}
