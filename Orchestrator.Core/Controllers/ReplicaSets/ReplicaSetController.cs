using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;

namespace Orchestrator.Core.Controllers.ReplicaSets;

/// <summary>The apps/v1 ReplicaSet controller: <see cref="ReplicaControllerBase"/> for <see cref="ReplicaKind.ReplicaSet"/>.</summary>
public sealed class ReplicaSetController(
    InformerFactory informers, IKubeClient client, EventRecorder events, TimeProvider time, ILogger<ReplicaSetController> log)
    : ReplicaControllerBase(ReplicaKind.ReplicaSet, informers, client, events, time, log);
