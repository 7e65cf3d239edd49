using System.Buffers.Binary;
using System.Formats.Tar;
using System.Runtime.InteropServices;

namespace Orchestrator.Agent.Images;

/// <summary>
/// The root filesystem of the sandbox image, as a tar made in memory for <c>docker import</c>:
/// <list type="bullet">
/// <item>on x86-64 and arm64, <c>/pause</c> is <see cref="PauseProgram"/> (the whole image is under 1 KiB);</item>
/// <item>elsewhere, the host's static <c>/bin/busybox</c> with <c>sh</c> and <c>sleep</c> links runs a shell loop that
///   traps SIGTERM/SIGINT and exits 0 (busybox is static on Debian's busybox-static, which the agent's hosts
///   have).</item>
/// </list>
/// </summary>
public static class SandboxImage
{
    public const string PausePath = "/pause";
    public const string BusyboxPath = "/bin/busybox";

    /// <summary>
    /// The Dockerfile changes and the tar for <paramref name="architecture"/>. Throws
    /// <see cref="InvalidOperationException"/> when there is neither a program for it nor a static busybox.
    /// </summary>
    public static (IReadOnlyList<string> Changes, MemoryStream Tar) Build(Architecture architecture, string busyboxPath = BusyboxPath)
    {
        var tar = new MemoryStream();
        IReadOnlyList<string> changes;
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (PauseProgram.For(architecture) is { } program)
            {
                WriteFile(writer, PausePath[1..], program, executable: true);
                changes = [$"CMD [\"{PausePath}\"]"];
            }
            else
            {
                if (!IsStaticElf(busyboxPath))
                    throw new InvalidOperationException(
                        $"no built-in pause program for {architecture} and {busyboxPath} is not a static executable " +
                        "(install busybox-static) to build the sandbox image from");
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = DirectoryMode });
                WriteFile(writer, "bin/busybox", File.ReadAllBytes(busyboxPath), executable: true);
                foreach (var applet in new[] { "sh", "sleep" })
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" });
                // The shell must run a child to sleep in: a trapped signal interrupts `wait`, not a foreground sleep.
                changes = ["CMD [\"/bin/sh\", \"-c\", \"trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done\"]"];
            }
        }
        tar.Position = 0;
        return (changes, tar);
    }

    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static void WriteFile(TarWriter writer, string name, byte[] content, bool executable)
    {
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content),
            Mode = executable ? DirectoryMode : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        });
    }

    /// <summary>An ELF without a PT_INTERP program header: it runs in an image that holds nothing else.</summary>
    internal static bool IsStaticElf(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            return false;
        var is64 = bytes[4] == 2;
        var phoff = is64 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0x20)) : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(0x1c));
        var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(is64 ? 0x36 : 0x2a));
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(is64 ? 0x38 : 0x2c));
        for (var i = 0; i < phnum; i++)
        {
            var at = phoff + (long)i * phentsize;
            if (at + 4 > bytes.Length)
                return false;
            const uint PtInterp = 3;
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)at)) == PtInterp)
                return false;
        }
        return true;
    }
}
