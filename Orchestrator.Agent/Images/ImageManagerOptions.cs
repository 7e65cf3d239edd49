namespace Orchestrator.Agent.Images;

/// <summary>Settings of the <see cref="ImageManager"/>; the defaults are the kubelet's.</summary>
public sealed record ImageManagerOptions
{
    public const string DefaultSandboxImage = "orchestrator/pause:1";

    /// <summary>
    /// The locally built sandbox image. Change the tag whenever what <see cref="SandboxImage"/> builds changes: an
    /// image that exists under this name is used as it is.
    /// </summary>
    public string SandboxImage { get; init; } = DefaultSandboxImage;

    /// <summary>The wait after the first failed pull of an image for a pod; doubles per failure.</summary>
    public TimeSpan InitialBackOff { get; init; } = PullBackOff.DefaultInitial;

    /// <summary>The longest wait between pulls.</summary>
    public TimeSpan MaxBackOff { get; init; } = PullBackOff.DefaultMax;

    /// <summary>A pull that takes longer than this fails (a registry that stopped answering mid-pull).</summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromMinutes(15);
}
