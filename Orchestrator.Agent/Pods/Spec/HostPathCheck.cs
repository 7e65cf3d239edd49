namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// The hostPath volume's <c>type</c> check (upstream <c>checkTypeInternal</c>), with the kubelet's messages:
/// <code>
/// ""                 no check (Docker creates a missing path as a directory when it binds it)
/// DirectoryOrCreate  create (0755, with parents) when missing, then must be a directory
/// Directory          must be a directory          "hostPath type check failed: PATH is not a directory"
/// FileOrCreate       create (0644, not its parent) when missing, then must be a file
/// File               must be a file               "hostPath type check failed: PATH is not a file"
/// Socket             must be a UNIX socket        "… is not a socket file"
/// CharDevice / BlockDevice                        "… is not a character device" / "… is not a block device"
/// </code>
/// Returns the error text, or null when the path passes.
/// </summary>
public static class HostPathCheck
{
    public static string? Check(string path, string? type)
    {
        switch (type ?? "")
        {
            case "":
                return null;
            case "DirectoryOrCreate":
                if (UnixFileSystem.KindOf(path) == UnixFileKind.Missing)
                {
                    try
                    {
                        Directory.CreateDirectory(path);
                        UnixFileSystem.SetMode(path, DirectoryMode);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        return e.Message;
                    }
                }
                return Expect(path, UnixFileKind.Directory, "a directory");
            case "Directory":
                return Expect(path, UnixFileKind.Directory, "a directory");
            case "FileOrCreate":
                if (UnixFileSystem.KindOf(path) == UnixFileKind.Missing)
                {
                    try
                    {
                        UnixFileSystem.WriteFile(path, [], FileMode);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        return e.Message;
                    }
                }
                return Expect(path, UnixFileKind.Regular, "a file");
            case "File":
                return Expect(path, UnixFileKind.Regular, "a file");
            case "Socket":
                return Expect(path, UnixFileKind.Socket, "a socket file");
            case "CharDevice":
                return Expect(path, UnixFileKind.CharacterDevice, "a character device");
            case "BlockDevice":
                return Expect(path, UnixFileKind.BlockDevice, "a block device");
            default:
                return $"{type} is an invalid volume type";
        }
    }

    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode FileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static string? Expect(string path, UnixFileKind kind, string what) =>
        UnixFileSystem.KindOf(path) == kind ? null : $"hostPath type check failed: {path} is not {what}";
}
