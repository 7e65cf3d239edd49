using System.Diagnostics;

namespace Orchestrator.Tests.Agent.Network.Programming;

/// <summary>One TCP connection between two test namespaces with socat; the server answers with the peer address it saw.</summary>
internal static class TcpProbe
{
    /// <summary>
    /// Listens once on <paramref name="serverIp"/> in <paramref name="server"/> and connects from
    /// <paramref name="client"/> (bound to <paramref name="clientIp"/> when given), retrying while the listener starts.
    /// Returns the source address the server saw, or null when no connection got through.
    /// </summary>
    public static async Task<string?> PeerSeenAsync(TestNetworkNamespace server, string serverIp, TestNetworkNamespace client, string? clientIp,
        int attempts)
    {
        var port = Random.Shared.Next(20000, 30000);
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "netns", "exec", server.Name, "socat", "-T", "5", $"TCP-LISTEN:{port},bind={serverIp},reuseaddr", "SYSTEM:echo $SOCAT_PEERADDR" })
            psi.ArgumentList.Add(arg);
        using var listener = Process.Start(psi)!;
        try
        {
            var bind = clientIp is null ? "" : $",bind={clientIp}";
            for (var attempt = 1; ; attempt++)
            {
                var reply = await client.ExecAsync("socat", "-T", "5", "-", $"TCP:{serverIp}:{port},connect-timeout=1{bind}");
                if (reply.Succeeded && reply.StandardOutput.Trim().Length > 0) return reply.StandardOutput.Trim();
                if (attempt >= attempts) return null;
                await Task.Delay(100);
            }
        }
        finally
        {
            if (!listener.HasExited) listener.Kill();
            await listener.WaitForExitAsync();
        }
    }
}
