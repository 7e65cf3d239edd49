using System.Threading.Channels;

namespace Orchestrator.Core.Storage;

/// <summary>
/// A live watch on a key prefix. Events arrive in revision order. When the watcher falls too far behind, the channel
/// completes with <see cref="WatcherTooSlowException"/> and the watcher must re-list, as with a real apiserver.
/// </summary>
public interface IWatchSubscription : IDisposable
{
    ChannelReader<StoreEvent> Events { get; }
}

public sealed class WatcherTooSlowException() : Exception("watcher fell behind the event stream and was dropped; re-list and watch again");
