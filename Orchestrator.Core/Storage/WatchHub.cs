using System.Collections.Immutable;
using System.Threading.Channels;

namespace Orchestrator.Core.Storage;

/// <summary>
/// In-memory fan-out of committed changes to watchers. The store publishes under its writer lock, so every watcher
/// sees changes in revision order. A watcher whose backlog exceeds its limit is dropped (its channel completes with
/// <see cref="WatcherTooSlowException"/>) instead of slowing the writer or growing without bound.
/// </summary>
internal sealed class WatchHub
{
    private readonly object _gate = new();
    private ImmutableArray<Subscription> _subscribers = [];

    public int MaxBacklog { get; }

    public WatchHub(int maxBacklog) => MaxBacklog = maxBacklog;

    public int Count => _subscribers.Length;

    public Subscription Subscribe(string prefix, int initialBacklog)
    {
        var sub = new Subscription(this, prefix, MaxBacklog + initialBacklog);
        return sub;
    }

    public void Activate(Subscription sub)
    {
        lock (_gate) _subscribers = _subscribers.Add(sub);
    }

    public void Remove(Subscription sub)
    {
        lock (_gate) _subscribers = _subscribers.Remove(sub);
    }

    public void Publish(StoreEvent e)
    {
        foreach (var sub in _subscribers)
        {
            if (!e.Key.StartsWith(sub.Prefix, StringComparison.Ordinal)) continue;
            if (!sub.TryDeliver(e)) Remove(sub);
        }
    }

    internal sealed class Subscription : IWatchSubscription
    {
        private readonly WatchHub _hub;
        private readonly Channel<StoreEvent> _channel =
            Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleWriter = true });
        // Not SingleReader: only the multi-reader unbounded channel can count its backlog.
        private int _backlogLimit;

        public Subscription(WatchHub hub, string prefix, int backlogLimit)
        {
            _hub = hub;
            Prefix = prefix;
            _backlogLimit = backlogLimit;
        }

        public string Prefix { get; }

        public ChannelReader<StoreEvent> Events => _channel.Reader;

        /// <summary>Queues an event; false (and the channel completed with an error) when the watcher is too far behind.</summary>
        public bool TryDeliver(StoreEvent e)
        {
            if (_channel.Reader.Count >= _backlogLimit)
            {
                _channel.Writer.TryComplete(new WatcherTooSlowException());
                return false;
            }
            // Once the replayed history is drained the normal limit applies again.
            if (_channel.Reader.Count == 0) _backlogLimit = _hub.MaxBacklog;
            return _channel.Writer.TryWrite(e);
        }

        public void Dispose()
        {
            _hub.Remove(this);
            _channel.Writer.TryComplete();
        }
    }
}
