namespace Orchestrator.Agent.Pods.Spec;

/// <summary>One file of a configMap, secret, downwardAPI or projected volume: its bytes and permission bits.</summary>
public sealed record VolumeFile(byte[] Data, UnixFileMode Mode);
