using System.Buffers.Binary;

namespace Orchestrator.Agent.Streaming.Spdy;

/// <summary>
/// A zlib (RFC 1950/1951) decompressor that starts from a preset dictionary and keeps its window across calls, as
/// SPDY header compression needs: one zlib stream per connection direction, primed with
/// <see cref="SpdyHeaderDictionary"/>, with a sync flush after every header block. .NET's ZLibStream cannot take a
/// preset dictionary (nor does the runtime's native zlib export one), hence this small inflater. Each
/// <see cref="Inflate"/> call takes the bytes of one header block and returns what they decompress to; a sync flush
/// ends on a byte boundary, so no bits carry over between calls.
/// </summary>
public sealed class InflateWithDictionary
{
    private const int WindowSize = 32 * 1024;
    private static readonly int[] LengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    private static readonly int[] LengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly int[] DistanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
    private static readonly int[] DistanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    private static readonly int[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
    private static readonly Huffman FixedLiterals = FixedLiteralCode();
    private static readonly Huffman FixedDistances = Huffman.FromLengths(Enumerable.Repeat(5, 30).ToArray());

    private readonly byte[] _window = new byte[WindowSize];
    private readonly uint _dictionaryId;
    private long _history;
    private bool _headerRead;
    private bool _finished;

    // Input of the current call.
    private byte[] _input = [];
    private int _position;
    private int _bitBuffer;
    private int _bitCount;

    public InflateWithDictionary(ReadOnlySpan<byte> dictionary)
    {
        _dictionaryId = Adler32.Compute(dictionary);
        foreach (var b in dictionary[Math.Max(0, dictionary.Length - WindowSize)..]) Remember(b);
    }

    /// <summary>Decompresses the next part of the stream (whole deflate blocks); throws <see cref="InvalidDataException"/> on corrupt input.</summary>
    public byte[] Inflate(ReadOnlySpan<byte> compressed)
    {
        _input = compressed.ToArray();
        _position = 0;
        _bitBuffer = 0;
        _bitCount = 0;
        var output = new List<byte>(compressed.Length * 4);
        if (!_headerRead) ReadZlibHeader();
        while (_position < _input.Length)
        {
            if (_finished) throw new InvalidDataException("data after the end of the zlib stream");
            _finished = Bits(1) == 1;
            switch (Bits(2))
            {
                case 0:
                    Stored(output);
                    break;
                case 1:
                    Codes(output, FixedLiterals, FixedDistances);
                    break;
                case 2:
                    Dynamic(output);
                    break;
                default:
                    throw new InvalidDataException("invalid deflate block type 3");
            }
        }
        return output.ToArray();
    }

    private void ReadZlibHeader()
    {
        if (_input.Length < 2) throw new InvalidDataException("zlib header truncated");
        var cmf = _input[0];
        var flg = _input[1];
        if ((cmf & 0x0f) != 8 || ((cmf << 8) | flg) % 31 != 0) throw new InvalidDataException("not a zlib stream");
        _position = 2;
        if ((flg & 0x20) != 0)
        {
            if (_input.Length < 6) throw new InvalidDataException("zlib dictionary id truncated");
            var id = BinaryPrimitives.ReadUInt32BigEndian(_input.AsSpan(2));
            if (id != _dictionaryId)
                throw new InvalidDataException($"the zlib stream wants dictionary {id:x8}, this inflater has {_dictionaryId:x8}");
            _position = 6;
        }
        _headerRead = true;
    }

    private int Bits(int count)
    {
        var value = _bitBuffer;
        while (_bitCount < count)
        {
            if (_position >= _input.Length) throw new InvalidDataException("deflate data ends inside a block");
            value |= _input[_position++] << _bitCount;
            _bitCount += 8;
        }
        _bitBuffer = value >> count;
        _bitCount -= count;
        return value & ((1 << count) - 1);
    }

    private void Stored(List<byte> output)
    {
        _bitBuffer = 0;
        _bitCount = 0;
        if (_position + 4 > _input.Length) throw new InvalidDataException("stored block header truncated");
        var length = _input[_position] | (_input[_position + 1] << 8);
        var complement = _input[_position + 2] | (_input[_position + 3] << 8);
        if (length != (~complement & 0xffff)) throw new InvalidDataException("stored block length does not match its complement");
        _position += 4;
        if (_position + length > _input.Length) throw new InvalidDataException("stored block truncated");
        for (var i = 0; i < length; i++) Emit(output, _input[_position + i]);
        _position += length;
    }

    private void Dynamic(List<byte> output)
    {
        var literalCount = Bits(5) + 257;
        var distanceCount = Bits(5) + 1;
        var codeCount = Bits(4) + 4;
        if (literalCount > 286 || distanceCount > 30) throw new InvalidDataException("too many deflate codes");
        var codeLengths = new int[19];
        for (var i = 0; i < codeCount; i++) codeLengths[CodeLengthOrder[i]] = Bits(3);
        var codeLengthCode = Huffman.FromLengths(codeLengths);

        var lengths = new int[literalCount + distanceCount];
        for (var i = 0; i < lengths.Length;)
        {
            var symbol = Decode(codeLengthCode);
            if (symbol < 16)
            {
                lengths[i++] = symbol;
                continue;
            }
            int repeat, value = 0;
            switch (symbol)
            {
                case 16:
                    if (i == 0) throw new InvalidDataException("repeat of no previous length");
                    value = lengths[i - 1];
                    repeat = 3 + Bits(2);
                    break;
                case 17:
                    repeat = 3 + Bits(3);
                    break;
                default:
                    repeat = 11 + Bits(7);
                    break;
            }
            if (i + repeat > lengths.Length) throw new InvalidDataException("too many code lengths");
            while (repeat-- > 0) lengths[i++] = value;
        }
        if (lengths[256] == 0) throw new InvalidDataException("no end-of-block code");
        Codes(output, Huffman.FromLengths(lengths[..literalCount]), Huffman.FromLengths(lengths[literalCount..]));
    }

    private void Codes(List<byte> output, Huffman literals, Huffman distances)
    {
        while (true)
        {
            var symbol = Decode(literals);
            if (symbol < 256)
            {
                Emit(output, (byte)symbol);
                continue;
            }
            if (symbol == 256) return;
            symbol -= 257;
            if (symbol >= LengthBase.Length) throw new InvalidDataException("invalid length code");
            var length = LengthBase[symbol] + Bits(LengthExtra[symbol]);
            var distanceSymbol = Decode(distances);
            if (distanceSymbol >= DistanceBase.Length) throw new InvalidDataException("invalid distance code");
            var distance = DistanceBase[distanceSymbol] + Bits(DistanceExtra[distanceSymbol]);
            if (distance > Math.Min(_history, WindowSize)) throw new InvalidDataException("distance reaches before the start of the window");
            for (var i = 0; i < length; i++) Emit(output, _window[(int)((_history - distance) % WindowSize)]);
        }
    }

    private void Emit(List<byte> output, byte value)
    {
        output.Add(value);
        Remember(value);
    }

    private void Remember(byte value)
    {
        _window[(int)(_history % WindowSize)] = value;
        _history++;
    }

    /// <summary>Canonical Huffman decoding, one bit at a time (header blocks are small).</summary>
    private int Decode(Huffman code)
    {
        int value = 0, first = 0, index = 0;
        for (var length = 1; length < code.Counts.Length; length++)
        {
            value |= Bits(1);
            var count = code.Counts[length];
            if (value - first < count) return code.Symbols[index + value - first];
            index += count;
            first += count;
            first <<= 1;
            value <<= 1;
        }
        throw new InvalidDataException("invalid Huffman code");
    }

    private static Huffman FixedLiteralCode()
    {
        var lengths = new int[288];
        for (var i = 0; i < 288; i++) lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
        return Huffman.FromLengths(lengths);
    }

    private sealed record Huffman(int[] Counts, int[] Symbols)
    {
        public static Huffman FromLengths(int[] lengths)
        {
            var counts = new int[16];
            foreach (var l in lengths) counts[l]++;
            var offsets = new int[16];
            for (var l = 1; l < 15; l++) offsets[l + 1] = offsets[l] + counts[l];
            var symbols = new int[lengths.Length];
            for (var s = 0; s < lengths.Length; s++)
                if (lengths[s] != 0) symbols[offsets[lengths[s]]++] = s;
            counts[0] = 0;
            return new Huffman(counts, symbols);
        }
    }
}
