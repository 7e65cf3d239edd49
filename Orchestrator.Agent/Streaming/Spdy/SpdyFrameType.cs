namespace Orchestrator.Agent.Streaming.Spdy;

/// <summary>SPDY/3 control frame types and the status codes we send.</summary>
public static class SpdyFrameType
{
    public const ushort SynStream = 1;
    public const ushort SynReply = 2;
    public const ushort RstStream = 3;
    public const ushort Settings = 4;
    public const ushort Ping = 6;
    public const ushort GoAway = 7;
    public const ushort Headers = 8;
    public const ushort WindowUpdate = 9;

    public const uint RstProtocolError = 1;
    public const uint RstRefusedStream = 3;
    public const uint RstCancel = 5;
}
