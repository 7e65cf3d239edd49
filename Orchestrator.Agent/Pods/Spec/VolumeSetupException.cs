namespace Orchestrator.Agent.Pods.Spec;

/// <summary>A volume cannot be set up; <see cref="PodVolumes"/> turns it into a <c>FailedMount</c> naming the volume.</summary>
public sealed class VolumeSetupException(string message) : Exception(message);
