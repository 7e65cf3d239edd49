using System.Net;

namespace Orchestrator.Tests.Agent.Proxy;

/// <summary>Random 127.x.y.z addresses (x ≠ 0) so tests of parallel helpers and runs never share an address:port.</summary>
internal static class LoopbackAddress
{
    public static IPAddress Random() =>
        new([127, (byte)System.Random.Shared.Next(1, 255), (byte)System.Random.Shared.Next(0, 256), (byte)System.Random.Shared.Next(1, 255)]);

    /// <summary>A port that is free on <paramref name="address"/> right now (bound and released at once).</summary>
    public static int FreePort(IPAddress address)
    {
        using var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        s.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
