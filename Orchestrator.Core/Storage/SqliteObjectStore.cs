using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Storage;

/// <summary>
/// kine-style storage in one SQLite file:
/// <code>
///   log(rev PRIMARY KEY, key, type, value, prev_rev)  -- one row per change; rev is the resourceVersion
///   objects(key PRIMARY KEY, rev, value)              -- the current state, so start-up does not replay history
///   meta(name PRIMARY KEY, value)                     -- 'revision' and 'compacted'
/// </code>
/// One writer (a semaphore) assigns revisions, commits each change in its own transaction (WAL, so a committed write
/// survives kill -9), then swaps an immutable in-memory snapshot and publishes to watchers. Reads never touch SQLite.
/// </summary>
public sealed class SqliteObjectStore : IObjectStore
{
    private const int TypeAdded = 0, TypeModified = 1, TypeDeleted = 2;

    private readonly SqliteConnection _conn;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly WatchHub _hub;
    private volatile Snapshot _snapshot;
    private long _compacted;

    public SqliteObjectStore(string path, int maxWatchBacklog = 20_000)
    {
        _hub = new WatchHub(maxWatchBacklog);
        _conn = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _conn.Open();
        Exec("PRAGMA journal_mode=WAL;");
        Exec("PRAGMA synchronous=NORMAL;");
        Exec("PRAGMA busy_timeout=5000;");
        Exec("""
            CREATE TABLE IF NOT EXISTS log (rev INTEGER PRIMARY KEY, key TEXT NOT NULL, type INTEGER NOT NULL,
                                            value BLOB NOT NULL, prev_rev INTEGER);
            CREATE INDEX IF NOT EXISTS log_key ON log(key, rev);
            CREATE TABLE IF NOT EXISTS objects (key TEXT PRIMARY KEY, rev INTEGER NOT NULL, value BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """);
        _snapshot = Load();
    }

    public long CurrentRevision => _snapshot.Revision;

    public long CompactedRevision => Interlocked.Read(ref _compacted);

    /// <summary>Number of live watch subscriptions (for metrics and tests).</summary>
    public int WatcherCount => _hub.Count;

    public StoredObject? Get(string key) => _snapshot.Get(key);

    public (IReadOnlyList<StoredObject> Items, long Revision) List(string prefix)
    {
        var snap = _snapshot;
        return (snap.List(prefix), snap.Revision);
    }

    public async Task<StoredObject> CreateAsync(string key, JsonObject obj, CancellationToken ct = default)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            var snap = _snapshot;
            if (snap.Get(key) != null) throw new KeyExistsException(key);
            return Commit(snap, key, TypeAdded, obj, previous: null);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<StoredObject> UpdateAsync(string key, JsonObject obj, long expectedRevision, CancellationToken ct = default)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            var snap = _snapshot;
            var current = snap.Get(key) ?? throw new KeyNotFoundStoreException(key);
            if (current.Revision != expectedRevision) throw new RevisionConflictException(key, expectedRevision, current.Revision);
            return Commit(snap, key, TypeModified, obj, current);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<StoredObject> DeleteAsync(string key, long? expectedRevision = null, CancellationToken ct = default)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            var snap = _snapshot;
            var current = snap.Get(key) ?? throw new KeyNotFoundStoreException(key);
            if (expectedRevision is { } exp && current.Revision != exp) throw new RevisionConflictException(key, exp, current.Revision);
            return Commit(snap, key, TypeDeleted, current.Parse(), current);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IWatchSubscription> WatchAsync(string prefix, long afterRevision, CancellationToken ct = default)
    {
        // Holding the writer lock while replaying means no change can slip between history and live events.
        await _writeLock.WaitAsync(ct);
        try
        {
            var compacted = CompactedRevision;
            if (afterRevision < compacted) throw new RevisionCompactedException(afterRevision, compacted);
            var history = afterRevision < _snapshot.Revision ? ReadHistory(prefix, afterRevision) : [];
            var sub = _hub.Subscribe(prefix, history.Count);
            foreach (var e in history) sub.TryDeliver(e);
            _hub.Activate(sub);
            return sub;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task CompactAsync(long revision, CancellationToken ct = default)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            revision = Math.Min(revision, _snapshot.Revision);
            if (revision <= CompactedRevision) return;
            using var tx = _conn.BeginTransaction();
            using (var del = _conn.CreateCommand())
            {
                del.Transaction = tx;
                del.CommandText = "DELETE FROM log WHERE rev <= $r";
                del.Parameters.AddWithValue("$r", revision);
                del.ExecuteNonQuery();
            }
            SetMeta(tx, "compacted", revision);
            tx.Commit();
            Interlocked.Exchange(ref _compacted, revision);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        _conn.Dispose();
        _writeLock.Dispose();
    }

    private StoredObject Commit(Snapshot snap, string key, int type, JsonObject obj, StoredObject? previous)
    {
        var rev = snap.Revision + 1;
        obj.Metadata()["resourceVersion"] = rev.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(obj);

        using (var tx = _conn.BeginTransaction())
        {
            using (var log = _conn.CreateCommand())
            {
                log.Transaction = tx;
                log.CommandText = "INSERT INTO log(rev, key, type, value, prev_rev) VALUES ($rev, $key, $type, $value, $prev)";
                log.Parameters.AddWithValue("$rev", rev);
                log.Parameters.AddWithValue("$key", key);
                log.Parameters.AddWithValue("$type", type);
                log.Parameters.AddWithValue("$value", bytes);
                log.Parameters.AddWithValue("$prev", previous is null ? DBNull.Value : previous.Revision);
                log.ExecuteNonQuery();
            }
            using (var cur = _conn.CreateCommand())
            {
                cur.Transaction = tx;
                if (type == TypeDeleted)
                {
                    cur.CommandText = "DELETE FROM objects WHERE key = $key";
                }
                else
                {
                    cur.CommandText = "INSERT INTO objects(key, rev, value) VALUES ($key, $rev, $value) " +
                                      "ON CONFLICT(key) DO UPDATE SET rev = excluded.rev, value = excluded.value";
                    cur.Parameters.AddWithValue("$rev", rev);
                    cur.Parameters.AddWithValue("$value", bytes);
                }
                cur.Parameters.AddWithValue("$key", key);
                cur.ExecuteNonQuery();
            }
            SetMeta(tx, "revision", rev);
            tx.Commit();
        }

        var stored = new StoredObject(key, rev, bytes);
        _snapshot = type == TypeDeleted ? snap.Without(key, rev) : snap.With(stored);
        _hub.Publish(new StoreEvent((WatchEventType)type, key, rev, bytes, previous?.Json));
        return stored;
    }

    private List<StoreEvent> ReadHistory(string prefix, long afterRevision)
    {
        using var cmd = _conn.CreateCommand();
        cmd.CommandText = """
            SELECT l.rev, l.key, l.type, l.value, p.value FROM log l LEFT JOIN log p ON p.rev = l.prev_rev
            WHERE l.rev > $after AND l.key >= $prefix AND l.key < $end ORDER BY l.rev
            """;
        cmd.Parameters.AddWithValue("$after", afterRevision);
        cmd.Parameters.AddWithValue("$prefix", prefix);
        cmd.Parameters.AddWithValue("$end", prefix + "\uffff");
        using var r = cmd.ExecuteReader();
        var result = new List<StoreEvent>();
        while (r.Read())
        {
            var prev = r.IsDBNull(4) ? null : (byte[])r.GetValue(4);
            result.Add(new StoreEvent((WatchEventType)r.GetInt32(2), r.GetString(1), r.GetInt64(0), (byte[])r.GetValue(3), prev));
        }
        return result;
    }

    private Snapshot Load()
    {
        var revision = ReadMeta("revision");
        Interlocked.Exchange(ref _compacted, ReadMeta("compacted"));
        var builder = new Dictionary<string, ImmutableSortedDictionary<string, StoredObject>.Builder>();
        using (var cmd = _conn.CreateCommand())
        {
            cmd.CommandText = "SELECT key, rev, value FROM objects";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var key = r.GetString(0);
                var bucket = Snapshot.BucketOf(key);
                if (!builder.TryGetValue(bucket, out var b))
                    builder[bucket] = b = ImmutableSortedDictionary.CreateBuilder<string, StoredObject>(StringComparer.Ordinal);
                b[key] = new StoredObject(key, r.GetInt64(1), (byte[])r.GetValue(2));
                revision = Math.Max(revision, r.GetInt64(1));
            }
        }
        var buckets = builder.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.ToImmutable(), StringComparer.Ordinal);
        return new Snapshot(revision, buckets);
    }

    private long ReadMeta(string name)
    {
        using var cmd = _conn.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE name = $n";
        cmd.Parameters.AddWithValue("$n", name);
        return cmd.ExecuteScalar() is long l ? l : 0;
    }

    private void SetMeta(SqliteTransaction tx, string name, long value)
    {
        using var cmd = _conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO meta(name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value";
        cmd.Parameters.AddWithValue("$n", name);
        cmd.Parameters.AddWithValue("$v", value);
        cmd.ExecuteNonQuery();
    }

    private void Exec(string sql)
    {
        using var cmd = _conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// The current state, immutable and swapped whole. Objects are grouped in buckets by their first two key segments
    /// ("/core/pods/") so that listing one kind does not walk every other kind.
    /// </summary>
    private sealed record Snapshot(long Revision, ImmutableDictionary<string, ImmutableSortedDictionary<string, StoredObject>> Buckets)
    {
        public static string BucketOf(string keyOrPrefix)
        {
            // "/core/pods/default/x" → "/core/pods/"; a shorter prefix ("/core/") has no single bucket.
            var first = keyOrPrefix.IndexOf('/', 1);
            if (first < 0) return "";
            var second = keyOrPrefix.IndexOf('/', first + 1);
            return second < 0 ? "" : keyOrPrefix[..(second + 1)];
        }

        public StoredObject? Get(string key) =>
            Buckets.TryGetValue(BucketOf(key), out var b) && b.TryGetValue(key, out var o) ? o : null;

        public IReadOnlyList<StoredObject> List(string prefix)
        {
            var bucket = BucketOf(prefix);
            var sources = bucket.Length > 0
                ? (Buckets.TryGetValue(bucket, out var b) ? [b] : [])
                : Buckets.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value);
            var result = new List<StoredObject>();
            foreach (var src in sources)
                foreach (var (key, obj) in src)
                    if (key.StartsWith(prefix, StringComparison.Ordinal)) result.Add(obj);
            return result;
        }

        public Snapshot With(StoredObject obj)
        {
            var bucket = BucketOf(obj.Key);
            var b = Buckets.TryGetValue(bucket, out var existing)
                ? existing
                : ImmutableSortedDictionary.Create<string, StoredObject>(StringComparer.Ordinal);
            return new Snapshot(obj.Revision, Buckets.SetItem(bucket, b.SetItem(obj.Key, obj)));
        }

        public Snapshot Without(string key, long revision)
        {
            var bucket = BucketOf(key);
            if (!Buckets.TryGetValue(bucket, out var b)) return this with { Revision = revision };
            return new Snapshot(revision, Buckets.SetItem(bucket, b.Remove(key)));
        }
    }
}
