using System.Text.Json.Nodes;
using Orchestrator.Core.Model;
using Orchestrator.Core.Storage;

namespace Orchestrator.Tests.Core.Storage;

public sealed class SqliteObjectStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("store-test").FullName;
    private string DbPath => Path.Combine(_dir, "state.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonObject Pod(string name, string label = "a") =>
        new() { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = label } } };

    [Fact]
    public async Task Create_SetsResourceVersionToNewRevision()
    {
        using var store = new SqliteObjectStore(DbPath);
        var a = await store.CreateAsync("/core/pods/default/a", Pod("a"));
        var b = await store.CreateAsync("/core/pods/default/b", Pod("b"));
        Assert.Equal(a.Revision + 1, b.Revision);
        Assert.Equal(b.Revision.ToString(), b.Parse().ResourceVersion());
        Assert.Equal(b.Revision, store.CurrentRevision);
    }

    [Fact]
    public async Task Create_ExistingKey_Throws()
    {
        using var store = new SqliteObjectStore(DbPath);
        await store.CreateAsync("/core/pods/default/a", Pod("a"));
        await Assert.ThrowsAsync<KeyExistsException>(() => store.CreateAsync("/core/pods/default/a", Pod("a")));
    }

    [Fact]
    public async Task Update_StaleRevision_Conflicts()
    {
        using var store = new SqliteObjectStore(DbPath);
        var a = await store.CreateAsync("/core/pods/default/a", Pod("a"));
        await store.UpdateAsync(a.Key, Pod("a", "b"), a.Revision);
        var ex = await Assert.ThrowsAsync<RevisionConflictException>(() => store.UpdateAsync(a.Key, Pod("a", "c"), a.Revision));
        Assert.Equal(a.Revision, ex.Expected);
        Assert.Equal("b", store.Get(a.Key)!.Parse().Labels()["app"]);
    }

    [Fact]
    public async Task List_ByPrefix_OnlyThatNamespaceInKeyOrder()
    {
        using var store = new SqliteObjectStore(DbPath);
        await store.CreateAsync("/core/pods/default/b", Pod("b"));
        await store.CreateAsync("/core/pods/default/a", Pod("a"));
        await store.CreateAsync("/core/pods/default-x/c", Pod("c"));
        await store.CreateAsync("/core/services/default/a", Pod("svc"));
        var (items, rev) = store.List("/core/pods/default/");
        Assert.Equal(["/core/pods/default/a", "/core/pods/default/b"], items.Select(i => i.Key));
        Assert.Equal(store.CurrentRevision, rev);
        Assert.Equal(3, store.List("/core/pods/").Items.Count);
        Assert.Equal(4, store.List("/core/").Items.Count);
    }

    [Fact]
    public async Task Restart_KeepsObjectsAndRevision()
    {
        long rev;
        using (var store = new SqliteObjectStore(DbPath))
        {
            var a = await store.CreateAsync("/core/pods/default/a", Pod("a"));
            await store.CreateAsync("/core/pods/default/b", Pod("b"));
            await store.DeleteAsync("/core/pods/default/b");
            rev = store.CurrentRevision;
        }
        using var reopened = new SqliteObjectStore(DbPath);
        Assert.Equal(rev, reopened.CurrentRevision);
        Assert.NotNull(reopened.Get("/core/pods/default/a"));
        Assert.Null(reopened.Get("/core/pods/default/b"));
        var c = await reopened.CreateAsync("/core/pods/default/c", Pod("c"));
        Assert.Equal(rev + 1, c.Revision);
    }

    [Fact]
    public async Task Watch_FromOldRevision_ReplaysHistoryThenLiveWithoutGap()
    {
        using var store = new SqliteObjectStore(DbPath);
        var a = await store.CreateAsync("/core/pods/default/a", Pod("a"));
        await store.UpdateAsync(a.Key, Pod("a", "b"), a.Revision);
        await store.CreateAsync("/core/services/default/x", Pod("x"));
        using var watch = await store.WatchAsync("/core/pods/", a.Revision - 1);
        await store.DeleteAsync(a.Key);

        var events = new List<StoreEvent>();
        for (var i = 0; i < 3; i++) events.Add(await watch.Events.ReadAsync());
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Revision < p.Second.Revision));
        Assert.NotNull(events[1].Previous);
        Assert.False(watch.Events.TryRead(out _));
    }

    [Fact]
    public async Task Watch_BelowCompaction_IsGone()
    {
        using var store = new SqliteObjectStore(DbPath);
        var a = await store.CreateAsync("/core/pods/default/a", Pod("a"));
        var b = await store.CreateAsync("/core/pods/default/b", Pod("b"));
        await store.CompactAsync(b.Revision);
        await Assert.ThrowsAsync<RevisionCompactedException>(() => store.WatchAsync("/core/pods/", a.Revision));
        using var ok = await store.WatchAsync("/core/pods/", b.Revision);
        Assert.NotNull(store.Get(a.Key));
    }

    [Fact]
    public async Task Watch_SlowWatcher_IsDroppedWithError()
    {
        using var store = new SqliteObjectStore(DbPath, maxWatchBacklog: 5);
        using var watch = await store.WatchAsync("/core/pods/", store.CurrentRevision);
        for (var i = 0; i < 10; i++) await store.CreateAsync($"/core/pods/default/p{i}", Pod($"p{i}"));
        await Assert.ThrowsAsync<WatcherTooSlowException>(async () =>
        {
            await foreach (var _ in watch.Events.ReadAllAsync()) { }
        });
        Assert.Equal(0, store.WatcherCount);
    }
}
