namespace Orchestrator.Tests.Lab;

/// <summary>A pod as the lab tests judge it: its name, the node it runs on, its IP.</summary>
public sealed record LabPod(string Name, string Node, string Ip);
