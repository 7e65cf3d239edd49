using Orchestrator.Core.Storage;

namespace Orchestrator.Api.Hosting;

/// <summary>
/// Trims the revision log so it does not grow forever: every few minutes, history older than the newest
/// <see cref="RetainedRevisions"/> revisions goes. Watches from below that point get 410 Expired and re-list.
/// </summary>
public sealed class StoreCompactor(IObjectStore store, ILogger<StoreCompactor> log) : BackgroundService
{
    public const long RetainedRevisions = 50_000;
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(Interval, ct);
            var target = store.CurrentRevision - RetainedRevisions;
            if (target <= store.CompactedRevision) continue;
            try
            {
                await store.CompactAsync(target, ct);
                log.LogInformation("Compacted revision log up to {Revision}", target);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Compaction failed; will retry");
            }
        }
    }
}
