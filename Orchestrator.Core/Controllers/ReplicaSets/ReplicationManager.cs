using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;

namespace Orchestrator.Core.Controllers.ReplicaSets;

/// <summary>
/// The core/v1 ReplicationController controller (upstream calls it the replication manager):
/// <see cref="ReplicaControllerBase"/> for <see cref="ReplicaKind.ReplicationController"/>.
/// </summary>
public sealed class ReplicationManager(
    InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time, ILogger<ReplicationManager> log)
    : ReplicaControllerBase(ReplicaKind.ReplicationController, informers, client, events, time, log);
