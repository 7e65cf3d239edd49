using System.Text.Json.Nodes;
using Orchestrator.Core.Client;
using Orchestrator.Core.Controllers;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Proxy;

/// <summary>
/// Reports port conflicts on the Service itself:
/// <list type="bullet">
/// <item>a Warning Event <c>PortNotAvailable</c> for each listener that newly failed, naming address:port/protocol,
///   the error and the holding process;</item>
/// <item>a per-node condition in <c>status.conditions</c>, type <c>PortsAvailable.&lt;node&gt;</c>: False with reason
///   <c>PortNotAvailable</c> and every failing port in the message while any fails, True (<c>AllPortsBound</c>)
///   once all are bound. Nodes never touch each other's condition; a service that never had a conflict here gets no
///   condition from this node.</item>
/// </list>
/// The status is written by read-modify-write of the status subresource, retried on 409 Conflict.
/// </summary>
public sealed class ServicePortConflictReporter(IKubeClient client, TimeProvider time, ILoggerFactory loggers, string nodeName)
    : IPortConflictReporter
{
    private readonly ILogger _log = loggers.CreateLogger<ServicePortConflictReporter>();
    public const string Component = "orchestrator-proxy";
    public const string EventReason = "PortNotAvailable";
    public const string BoundReason = "AllPortsBound";

    private readonly EventRecorder _events = new(client, time, loggers.CreateLogger<EventRecorder>(), Component);
    private readonly Dictionary<string, HashSet<ListenerKey>> _reported = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _serial = new(1, 1);

    public string ConditionType => ConditionTypeFor(nodeName);

    public static string ConditionTypeFor(string node) => $"PortsAvailable.{node}";

    public async Task ReportAsync(string serviceKey, IReadOnlyList<PortConflict> conflicts, CancellationToken ct)
    {
        await _serial.WaitAsync(ct);
        try
        {
            var parts = serviceKey.Split('/', 2);
            var (ns, name) = (parts[0], parts[1]);
            var before = _reported.GetValueOrDefault(serviceKey) ?? [];
            var service = await client.GetAsync(Kinds.Service, ns, name, ct);
            if (service == null)
            {
                _reported.Remove(serviceKey);
                return;
            }
            foreach (var c in conflicts.Where(c => !before.Contains(c.Listener.Key)))
            {
                service["apiVersion"] ??= "v1";
                service["kind"] ??= "Service";
                await _events.RecordAsync(service, EventRecorder.Warning, EventReason,
                    $"Node {nodeName} cannot serve {c.Describe()}; retrying", ct);
            }
            if (conflicts.Count == 0) _reported.Remove(serviceKey);
            else _reported[serviceKey] = conflicts.Select(c => c.Listener.Key).ToHashSet();
            await WriteConditionAsync(ns, name, service, conflicts, ct);
        }
        catch (Exception e) when (e is ApiException or HttpRequestException or IOException)
        {
            _log.LogWarning("Could not report port conflicts on service {Service}: {Error}", serviceKey, e.Message);
        }
        finally
        {
            _serial.Release();
        }
    }

    private async Task WriteConditionAsync(string ns, string name, JsonObject service, IReadOnlyList<PortConflict> conflicts, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (!Apply(service, conflicts)) return;
            try
            {
                await client.UpdateStatusAsync(Kinds.Service, service, ct);
                return;
            }
            catch (ApiException e) when (e.Code == 409)
            {
                if (await client.GetAsync(Kinds.Service, ns, name, ct) is not { } fresh) return;
                service = fresh;
            }
        }
        _log.LogWarning("Service {Namespace}/{Name}: status kept changing under us; the port condition is written on the next change", ns, name);
    }

    /// <summary>Sets this node's condition on <paramref name="service"/>; false when nothing needs writing.</summary>
    private bool Apply(JsonObject service, IReadOnlyList<PortConflict> conflicts)
    {
        var status = service["status"] as JsonObject;
        if (status == null) service["status"] = status = new JsonObject();
        var list = status["conditions"] as JsonArray;
        var existing = list?.OfType<JsonObject>().FirstOrDefault(c => c.Str("type") == ConditionType);
        if (conflicts.Count == 0 && existing == null) return false;

        var wanted = conflicts.Count == 0
            ? ("True", BoundReason, $"Node {nodeName} serves every port of this service")
            : ("False", EventReason, $"Node {nodeName} cannot bind: " + string.Join("; ", conflicts.Select(c => c.Describe())));
        if (existing != null && existing.Str("status") == wanted.Item1 && existing.Str("reason") == wanted.Item2 &&
            existing.Str("message") == wanted.Item3) return false;

        if (list == null) status["conditions"] = list = new JsonArray();
        var transition = existing != null && existing.Str("status") == wanted.Item1
            ? existing.Str("lastTransitionTime")
            : KubeTime.Format(time.GetUtcNow());
        var condition = new JsonObject
        {
            ["type"] = ConditionType,
            ["status"] = wanted.Item1,
            ["observedGeneration"] = service["metadata"].Long("generation") ?? 0,
            ["lastTransitionTime"] = transition,
            ["reason"] = wanted.Item2,
            ["message"] = wanted.Item3,
        };
        if (existing != null) list[list.IndexOf(existing)] = condition;
        else list.Add(condition);
        return true;
    }
}
