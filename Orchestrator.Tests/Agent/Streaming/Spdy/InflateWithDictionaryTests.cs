using System.IO.Compression;
using System.Text;
using Orchestrator.Agent.Streaming.Spdy;

namespace Orchestrator.Tests.Agent.Streaming.Spdy;

public sealed class InflateWithDictionaryTests
{
    // Two SPDY/3 header blocks compressed as Go's spdy framer does (zlib level 9, preset SPDY/3 dictionary,
    // a sync flush after each block), made with another zlib: {port: 8080, requestid: 0, streamtype: error}, then
    // the same with streamtype data. The first refers into the dictionary, the second back into the first.
    private const string ErrorStreamHeaders =
        "78f9e3c6a7c202253a48f95b044eea16061606409ab308125f99a074cc68004e892545a989b9d0c2863515141500000000ffff";
    private const string DataStreamHeaders = "225333a8a44a04000000ffff";

    [Fact]
    public void Dictionary_IsTheSpdy3One()
    {
        // 1423 bytes named by this Adler-32 in every zlib header kubectl's SPDY framer writes.
        Assert.Equal(1423, SpdyHeaderDictionary.Bytes.Length);
        Assert.Equal(0xe3c6a7c2u, SpdyHeaderDictionary.Adler32);
    }

    [Fact]
    public void HeaderBlocks_CompressedWithTheDictionary_AreRead()
    {
        using var block = new SpdyHeaderBlock();
        var error = block.Read(Convert.FromHexString(ErrorStreamHeaders));
        Assert.Equal(new Dictionary<string, string> { ["port"] = "8080", ["requestid"] = "0", ["streamtype"] = "error" }, error);
        var data = block.Read(Convert.FromHexString(DataStreamHeaders));
        Assert.Equal(new Dictionary<string, string> { ["port"] = "8080", ["requestid"] = "0", ["streamtype"] = "data" }, data);
    }

    [Fact]
    public void AStreamNamingAnotherDictionary_IsRefused()
    {
        var bytes = Convert.FromHexString(ErrorStreamHeaders);
        bytes[5] ^= 0xff;
        var inflater = new InflateWithDictionary(SpdyHeaderDictionary.Bytes.Span);
        Assert.Throws<InvalidDataException>(() => inflater.Inflate(bytes));
    }

    [Fact]
    public void TruncatedInput_IsRefused()
    {
        var bytes = Convert.FromHexString(ErrorStreamHeaders);
        var inflater = new InflateWithDictionary(SpdyHeaderDictionary.Bytes.Span);
        Assert.Throws<InvalidDataException>(() => inflater.Inflate(bytes.AsSpan(0, bytes.Length - 9)));
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.Optimal)]
    [InlineData(CompressionLevel.SmallestSize)]
    public void WhatZLibStreamWrites_InflatesBackAcrossSyncFlushes(CompressionLevel level)
    {
        // Stored, fixed and dynamic Huffman blocks, long back references, and one context across flushes.
        var random = new Random(42);
        var words = new[] { "pod", "container", "stream", "port", "forward", "exec", "attach", "log", "x", "\u00e9t\u00e9" };
        var parts = Enumerable.Range(0, 6).Select(i =>
        {
            var sb = new StringBuilder();
            while (sb.Length < 1000 * (i + 1)) sb.Append(words[random.Next(words.Length)]).Append(random.Next(100)).Append(' ');
            return Encoding.UTF8.GetBytes(sb.ToString());
        }).Append(new byte[70_000]).ToList();

        using var compressed = new MemoryStream();
        using var zlib = new ZLibStream(compressed, level, leaveOpen: true);
        var inflater = new InflateWithDictionary(SpdyHeaderDictionary.Bytes.Span);
        foreach (var part in parts)
        {
            compressed.SetLength(0);
            zlib.Write(part);
            zlib.Flush();
            Assert.Equal(part, inflater.Inflate(compressed.ToArray()));
        }
    }

    [Fact]
    public void WrittenHeaderBlocks_ReadBack()
    {
        using var writer = new SpdyHeaderBlock();
        using var reader = new SpdyHeaderBlock();
        for (var i = 0; i < 5; i++)
        {
            var headers = new Dictionary<string, string> { ["streamtype"] = i % 2 == 0 ? "data" : "error", ["requestid"] = i.ToString(), ["x"] = new string('v', i * 100) };
            Assert.Equal(headers, reader.Read(writer.Write(headers)));
        }
        Assert.Empty(reader.Read(writer.Write(new Dictionary<string, string>())));
    }
}
