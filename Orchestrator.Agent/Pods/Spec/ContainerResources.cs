using System.Text.Json.Nodes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Scheduling;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// A container's <c>resources</c> as Docker limits, with the kubelet's formulas (<c>pkg/kubelet/cm</c>):
/// <code>
/// limits.memory   → Memory = MemorySwap = bytes        (equal: no swap beyond the limit, as dockershim set it)
/// limits.cpu      → CpuPeriod = 100000 µs, CpuQuota = milliCPU × 100000 / 1000 (at least 1000)
/// requests.cpu    → CpuShares = milliCPU × 1024 / 1000 (at least 2; no request: the limit, else 2)
/// </code>
/// requests.memory only matters to the scheduler.
/// </summary>
public static class ContainerResources
{
    public const long CpuPeriod = 100_000;
    public const long MinShares = 2;
    public const long MaxShares = 262_144;
    public const long MinQuota = 1_000;

    public static void Apply(JsonObject container, HostConfig host)
    {
        var resources = container["resources"];
        var memoryLimit = Quantity.FromJson(resources?["limits"]?["memory"]);
        var cpuLimit = Quantity.FromJson(resources?["limits"]?["cpu"]);
        var cpuRequest = Quantity.FromJson(resources?["requests"]?["cpu"]) ?? cpuLimit;

        if (memoryLimit is { } memory && memory.Value > 0)
        {
            host.Memory = memory.Value;
            host.MemorySwap = memory.Value;
        }
        host.CpuShares = SharesFor(cpuRequest?.MilliValue ?? 0);
        if (cpuLimit is { } cpu && cpu.MilliValue > 0)
        {
            host.CpuPeriod = CpuPeriod;
            host.CpuQuota = QuotaFor(cpu.MilliValue);
        }
    }

    /// <summary>Upstream <c>MilliCPUToShares</c>.</summary>
    public static long SharesFor(long milliCpu)
    {
        if (milliCpu <= 0) return MinShares;
        var shares = milliCpu * 1024 / 1000;
        return Math.Clamp(shares, MinShares, MaxShares);
    }

    /// <summary>Upstream <c>MilliCPUToQuota</c> for the default period.</summary>
    public static long QuotaFor(long milliCpu) => Math.Max(milliCpu * CpuPeriod / 1000, MinQuota);
}
