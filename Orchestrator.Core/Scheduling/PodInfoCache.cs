using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Orchestrator.Core.Scheduling;

/// <summary>
/// <see cref="PodInfo"/> per pod object instance. Informer caches replace an object on every change and never
/// mutate it, so the instance identifies the version; entries die with the objects they describe.
/// </summary>
public sealed class PodInfoCache
{
    private readonly ConditionalWeakTable<JsonObject, PodInfo> _infos = new();

    public PodInfo Get(JsonObject pod) => _infos.GetValue(pod, PodInfo.Of);
}
