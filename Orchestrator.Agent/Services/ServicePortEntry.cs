namespace Orchestrator.Agent.Services;

/// <summary>
/// One entry of a Service's <c>spec.ports</c>. <see cref="Protocol"/> is upper case (TCP, UDP, SCTP);
/// <see cref="TargetPort"/> is the raw targetPort (a number or a container port name) — the proxy does not need it,
/// since endpoints carry resolved ports under the service port's <see cref="Name"/>.
/// </summary>
public sealed record ServicePortEntry(string Name, string Protocol, int Port, int NodePort, string TargetPort);
