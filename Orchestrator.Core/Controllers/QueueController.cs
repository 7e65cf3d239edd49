using Microsoft.Extensions.Logging;
using Orchestrator.Core.Client;

namespace Orchestrator.Core.Controllers;

/// <summary>
/// The shape every reconciling controller shares (STYLE.md: the endpoints controller): informer handlers only
/// enqueue keys; workers start once the caches have synced and call <see cref="SyncAsync"/> for one key at a time,
/// which re-reads everything from the caches and converges. A failed sync is retried with back-off, up to
/// <see cref="MaxRetries"/> times, and then dropped until the key changes again (the periodic resync retries it too).
/// </summary>
public abstract class QueueController : IController, IDisposable
{
    protected QueueController(string name, TimeProvider time, ILogger log, int workers = 2)
    {
        Name = name;
        Time = time;
        Log = log;
        Workers = workers;
        Queue = new WorkQueue<string>(time);
    }

    public string Name { get; }

    protected TimeProvider Time { get; }

    protected ILogger Log { get; }

    protected WorkQueue<string> Queue { get; }

    protected int Workers { get; }

    protected virtual int MaxRetries => 15;

    /// <summary>The informers whose caches must be complete before the first sync.</summary>
    protected abstract IEnumerable<Informer> Informers { get; }

    /// <summary>Brings the object behind <paramref name="key"/> to its desired state. Must be idempotent.</summary>
    protected abstract Task SyncAsync(string key, CancellationToken ct);

    public async Task RunAsync(CancellationToken ct)
    {
        await Task.WhenAll(Informers.Select(i => i.WaitForSyncAsync(ct)));
        Log.LogInformation("{Controller} caches synced; starting {Workers} workers", Name, Workers);
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => WorkAsync(ct), ct)));
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await Queue.GetAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return;
            }
            try
            {
                await SyncAsync(key, ct);
                Queue.Forget(key);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (Queue.NumRequeues(key) < MaxRetries)
                {
                    Log.LogDebug("{Controller}: sync of {Key} failed ({Message}); retrying", Name, key, e.Message);
                    Queue.AddRateLimited(key);
                }
                else
                {
                    Log.LogWarning(e, "{Controller}: giving up on {Key} after {Retries} retries", Name, key, MaxRetries);
                    Queue.Forget(key);
                }
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    public void Dispose()
    {
        Queue.Dispose();
        GC.SuppressFinalize(this);
    }
}
