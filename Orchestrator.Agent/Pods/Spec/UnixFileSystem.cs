using System.Runtime.InteropServices;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// The few POSIX file calls the volumes need and .NET does not offer portably: the kind of a file (sockets and
/// devices included) and its permission bits from <c>statx(2)</c> (whose buffer layout, unlike <c>struct stat</c>,
/// is the same on every architecture), <c>chmod(2)</c>, and <c>rename(2)</c> of a symlink over another (the atomic
/// swap of <see cref="AtomicWriter"/>). The agent runs on Linux only (Docker over a unix socket).
/// </summary>
public static class UnixFileSystem
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const int StatxModeOffset = 28; // u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid, u32 gid, then u16 mode
    private const int StatxBufferSize = 256;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
    private static extern int Chmod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int RenameNative([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    /// <summary>The kind of file at <paramref name="path"/>, following symlinks; Missing when it cannot be stat'ed.</summary>
    public static UnixFileKind KindOf(string path)
    {
        if (StatMode(path) is not { } mode) return UnixFileKind.Missing;
        return (mode & 0xF000) switch
        {
            0x8000 => UnixFileKind.Regular,
            0x4000 => UnixFileKind.Directory,
            0xC000 => UnixFileKind.Socket,
            0x2000 => UnixFileKind.CharacterDevice,
            0x6000 => UnixFileKind.BlockDevice,
            _ => UnixFileKind.Other,
        };
    }

    /// <summary>The permission bits (including setuid/setgid/sticky), following symlinks; null when missing.</summary>
    public static UnixFileMode? ModeOf(string path) => StatMode(path) is { } mode ? (UnixFileMode)(mode & 0xFFF) : null;

    public static void SetMode(string path, UnixFileMode mode)
    {
        if (Chmod(path, (uint)mode) != 0)
            throw new IOException($"chmod {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary><c>rename(2)</c>: atomically replaces <paramref name="newPath"/>, also when both are symlinks.</summary>
    public static void Rename(string oldPath, string newPath)
    {
        if (RenameNative(oldPath, newPath) != 0)
            throw new IOException($"rename {oldPath} to {newPath}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Creates the folder (and its parents) and gives the folder itself exactly <paramref name="mode"/> (no umask).</summary>
    public static void CreateDirectory(string path, UnixFileMode mode)
    {
        Directory.CreateDirectory(path);
        SetMode(path, mode);
    }

    /// <summary>Writes a file and gives it exactly <paramref name="mode"/>.</summary>
    public static void WriteFile(string path, byte[] data, UnixFileMode mode)
    {
        File.WriteAllBytes(path, data);
        SetMode(path, mode);
    }

    private static ushort? StatMode(string path)
    {
        var buffer = new byte[StatxBufferSize];
        // A failing stat (ENOENT, ENOTDIR, EACCES) counts as "not there", as the kubelet's checks treat it.
        if (Statx(AtFdCwd, path, 0, StatxType | StatxMode, buffer) != 0) return null;
        return BitConverter.ToUInt16(buffer, StatxModeOffset);
    }
}
