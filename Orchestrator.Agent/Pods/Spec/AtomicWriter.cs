using System.Globalization;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// Writes the files of a configMap, secret, downwardAPI or projected volume so that a container reading the volume
/// sees either the old set of files or the new one, never a mix (upstream <c>pkg/volume/util/atomic_writer.go</c>):
/// <code>
/// VOLUME/..2026_11_22_05_10_00.123456789/KEY   the files of one version, in a timestamped folder
/// VOLUME/..data -> ..2026_11_22_05_10_00.123456789
/// VOLUME/KEY    -> ..data/KEY                     what the container sees (one link per top-level name)
/// </code>
/// <list type="number">
/// <item>compare the payload with the files behind <c>..data</c>: equal means nothing to do (the common case of a
///   refresh, which therefore costs a few reads and no write);</item>
/// <item>write the payload into a new timestamped folder;</item>
/// <item>point a temporary link <c>..data_tmp</c> at it and <c>rename(2)</c> it over <c>..data</c>: the atomic swap;</item>
/// <item>add the user-visible links for new top-level names, remove those no longer in the payload;</item>
/// <item>remove the old timestamped folder.</item>
/// </list>
/// Relative links keep working inside the container, where the volume folder is bind-mounted elsewhere.
/// </summary>
public sealed class AtomicWriter(TimeProvider time)
{
    public const string DataDirName = "..data";
    private const string DataDirTmpName = "..data_tmp";

    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Makes <paramref name="targetDir"/> hold exactly <paramref name="payload"/>; false when it already did.</summary>
    public bool Write(string targetDir, IReadOnlyDictionary<string, VolumeFile> payload)
    {
        foreach (var path in payload.Keys) ValidatePath(path);
        UnixFileSystem.CreateDirectory(targetDir, DirectoryMode);

        // 1. unchanged?
        var dataLink = Path.Combine(targetDir, DataDirName);
        var oldVersion = new FileInfo(dataLink).LinkTarget;
        if (oldVersion != null && Holds(Path.Combine(targetDir, oldVersion), payload) && VisibleLinksMatch(targetDir, payload))
            return false;

        // 2. the new version
        var newVersion = NewVersionName(targetDir);
        var newDir = Path.Combine(targetDir, newVersion);
        UnixFileSystem.CreateDirectory(newDir, DirectoryMode);
        foreach (var (relative, file) in payload)
        {
            var path = Path.Combine(newDir, relative);
            var parent = Path.GetDirectoryName(path)!;
            if (!Directory.Exists(parent)) UnixFileSystem.CreateDirectory(parent, DirectoryMode);
            UnixFileSystem.WriteFile(path, file.Data, file.Mode);
        }

        // 3. the swap
        var tmpLink = Path.Combine(targetDir, DataDirTmpName);
        if (new FileInfo(tmpLink).LinkTarget != null || File.Exists(tmpLink)) File.Delete(tmpLink);
        File.CreateSymbolicLink(tmpLink, newVersion);
        UnixFileSystem.Rename(tmpLink, dataLink);

        // 4. the names the container sees
        var topLevel = payload.Keys.Select(TopLevelName).ToHashSet(StringComparer.Ordinal);
        foreach (var name in topLevel)
        {
            var link = Path.Combine(targetDir, name);
            var wanted = Path.Combine(DataDirName, name);
            var info = new FileInfo(link);
            if (info.LinkTarget == wanted) continue;
            if (info.LinkTarget != null || info.Exists) File.Delete(link);
            else if (Directory.Exists(link)) Directory.Delete(link, recursive: true);
            File.CreateSymbolicLink(link, wanted);
        }
        foreach (var entry in new DirectoryInfo(targetDir).EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith("..", StringComparison.Ordinal) || topLevel.Contains(entry.Name)) continue;
            if (entry.LinkTarget != null || entry is FileInfo) File.Delete(entry.FullName);
            else Directory.Delete(entry.FullName, recursive: true);
        }

        // 5. the old version, and any version an interrupted write left behind
        foreach (var dir in new DirectoryInfo(targetDir).EnumerateDirectories("..*"))
            if (dir.Name != newVersion && dir.LinkTarget == null && dir.Name is not (DataDirName or DataDirTmpName))
                dir.Delete(recursive: true);
        return true;
    }

    /// <summary>Paths are relative, without <c>..</c> elements, and do not start with <c>..</c> (reserved above).</summary>
    public static void ValidatePath(string path)
    {
        if (path.Length == 0) throw new ArgumentException("invalid path: must not be empty");
        if (Path.IsPathRooted(path)) throw new ArgumentException($"invalid path: must be relative path: {path}");
        if (path.Split('/').Any(p => p == "..")) throw new ArgumentException($"invalid path: must not contain '..': {path}");
        if (path.StartsWith("..", StringComparison.Ordinal)) throw new ArgumentException($"invalid path: must not start with '..': {path}");
    }

    private string NewVersionName(string targetDir)
    {
        var now = time.GetUtcNow();
        var stamp = now.ToString("yyyy_MM_dd_HH_mm_ss", CultureInfo.InvariantCulture);
        for (var i = 0; ; i++)
        {
            var name = $"..{stamp}.{Random.Shared.Next(0, 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture)}";
            if (!Directory.Exists(Path.Combine(targetDir, name))) return name;
        }
    }

    private static string TopLevelName(string path) => path.Split('/', 2)[0];

    /// <summary>The version folder holds exactly the payload: same paths, bytes and modes.</summary>
    private static bool Holds(string versionDir, IReadOnlyDictionary<string, VolumeFile> payload)
    {
        if (!Directory.Exists(versionDir)) return false;
        var files = Directory.EnumerateFiles(versionDir, "*", SearchOption.AllDirectories).ToList();
        if (files.Count != payload.Count) return false;
        foreach (var (relative, file) in payload)
        {
            var path = Path.Combine(versionDir, relative);
            if (!File.Exists(path)) return false;
            if (UnixFileSystem.ModeOf(path) != file.Mode) return false;
            if (!File.ReadAllBytes(path).AsSpan().SequenceEqual(file.Data)) return false;
        }
        return true;
    }

    private static bool VisibleLinksMatch(string targetDir, IReadOnlyDictionary<string, VolumeFile> payload)
    {
        var topLevel = payload.Keys.Select(TopLevelName).ToHashSet(StringComparer.Ordinal);
        var visible = new DirectoryInfo(targetDir).EnumerateFileSystemInfos()
            .Where(e => !e.Name.StartsWith("..", StringComparison.Ordinal)).ToList();
        return visible.Count == topLevel.Count &&
               visible.All(e => topLevel.Contains(e.Name) && e.LinkTarget == Path.Combine(DataDirName, e.Name));
    }
}
