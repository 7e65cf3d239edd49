namespace Orchestrator.Agent.Streaming.Spdy;

/// <summary>The Adler-32 checksum of RFC 1950 (zlib), which names a preset dictionary in a zlib header.</summary>
public static class Adler32
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        const uint mod = 65521;
        uint a = 1, b = 0;
        foreach (var x in data)
        {
            a = (a + x) % mod;
            b = (b + a) % mod;
        }
        return (b << 16) | a;
    }
}
