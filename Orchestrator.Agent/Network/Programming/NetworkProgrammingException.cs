namespace Orchestrator.Agent.Network.Programming;

/// <summary>The kernel's state could not be read (a failed <c>ip … show</c>); the convergence is retried.</summary>
public sealed class NetworkProgrammingException(string message) : Exception(message);
