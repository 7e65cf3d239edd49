using System.Buffers.Binary;
using System.Diagnostics;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Tests.Support;

/// <summary>
/// Makes a real dockerd reachable for the Docker tests:
/// <list type="number">
/// <item>if <c>/var/run/docker.sock</c> answers <c>/_ping</c>, use it;</item>
/// <item>otherwise, when <c>dockerd</c> (or a static <c>/bin/busybox</c> for test images) is missing and
/// <c>CI=true</c>, install Debian's <c>docker.io iptables busybox-static</c> (CI runs as root on a fresh machine);</item>
/// <item>start <c>dockerd</c> detached, logging to a file, and wait until it answers. It is left running for the
/// rest of the test run (and for later runs).</item>
/// </list>
/// Failing any step throws with what was tried; the Docker tests then fail — never a silent skip (STYLE habit 12).
/// </summary>
public static class DockerDaemon
{
    public const string SocketPath = "/var/run/docker.sock";
    public const string BusyboxPath = "/bin/busybox";
    private const string DaemonLog = "/tmp/orchestrator-tests-dockerd.log";

    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static async Task EnsureRunningAsync(CancellationToken cancellationToken)
    {
        using var client = new DockerClient(DockerEndpoint.Parse("unix://" + SocketPath));
        var needsBusybox = !IsStaticElf(BusyboxPath);
        if (await client.PingAsync(cancellationToken) && !needsBusybox)
            return;

        if (FindOnPath("dockerd") is null || needsBusybox)
        {
            if (!IsCi)
                throw new InvalidOperationException(
                    $"Docker tests need dockerd and a static {BusyboxPath}: install them with " +
                    "`apt-get install -y docker.io iptables busybox-static` (done automatically when CI=true).");
            await RunAsync("apt-get", ["update"], cancellationToken);
            try
            {
                await RunAsync("apt-get", ["install", "-y", "docker.io", "iptables", "busybox-static"], cancellationToken,
                    ("DEBIAN_FRONTEND", "noninteractive"));
            }
            catch (InvalidOperationException) when (FindOnPath("dockerd") is not null && IsStaticElf(BusyboxPath))
            {
                // Without an init system docker.io's postinst fails to start the service, and apt reports that;
                // the files we need are installed, and the daemon is started below.
            }
        }

        if (await client.PingAsync(cancellationToken))
            return;

        var dockerd = FindOnPath("dockerd") ?? throw new InvalidOperationException("dockerd is still not on PATH after installing docker.io.");
        // Through sh so that dockerd is not our child's child in the same process group: it must outlive the test host.
        await RunAsync("sh", ["-c", $"nohup setsid {dockerd} >>{DaemonLog} 2>&1 </dev/null &"], cancellationToken);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await client.PingAsync(cancellationToken))
                return;
            await Task.Delay(250, cancellationToken);
        }
        var tail = File.Exists(DaemonLog) ? string.Join('\n', File.ReadLines(DaemonLog).TakeLast(30)) : "(no log)";
        throw new InvalidOperationException($"dockerd did not answer on {SocketPath} within 60 s. Last lines of {DaemonLog}:\n{tail}");
    }

    private static string? FindOnPath(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Concat(["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin"]);
        return dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// True for an ELF without a PT_INTERP program header, i.e. one that runs in an image holding nothing else.
    /// Debian's dynamic <c>busybox</c> package also installs /bin/busybox, which would not.
    /// </summary>
    public static bool IsStaticElf(string path)
    {
        if (!File.Exists(path))
            return false;
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[4] != 2 /* 64-bit */)
            return false;
        var phoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0x20));
        var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(0x36));
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(0x38));
        for (var i = 0; i < phnum; i++)
        {
            const uint PtInterp = 3;
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(phoff + i * phentsize)) == PtInterp)
                return false;
        }
        return true;
    }

    public static async Task<string> RunAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken,
        params (string Name, string Value)[] environment)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
            psi.Environment[name] = value;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', psi.ArgumentList)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
