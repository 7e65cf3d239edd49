using System.Buffers.Binary;
using System.Formats.Tar;
using System.Runtime.InteropServices;
using Orchestrator.Agent.Images;

namespace Orchestrator.Tests.Agent.Images;

public sealed class PauseProgramTests
{
    [Theory]
    [InlineData(Architecture.X64, 62)]
    [InlineData(Architecture.Arm64, 183)]
    public void Elf_IsAStaticExecutableWhoseEntryIsInItsOnlyLoadSegment(Architecture architecture, int machine)
    {
        var elf = PauseProgram.For(architecture)!;
        var span = elf.AsSpan();
        Assert.Equal("\u007fELF"u8.ToArray(), elf[..4]);
        Assert.Equal(2, elf[4]); // 64-bit
        Assert.Equal(1, elf[5]); // little endian
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(span[16..])); // ET_EXEC
        Assert.Equal(machine, BinaryPrimitives.ReadUInt16LittleEndian(span[18..]));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(span[56..])); // one program header
        var ph = span[64..];
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(ph)); // PT_LOAD
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(ph[4..])); // R+X
        var vaddr = BinaryPrimitives.ReadUInt64LittleEndian(ph[16..]);
        var filesz = BinaryPrimitives.ReadUInt64LittleEndian(ph[32..]);
        Assert.Equal((ulong)elf.Length, filesz);
        var entry = BinaryPrimitives.ReadUInt64LittleEndian(span[24..]);
        Assert.InRange(entry, vaddr + 120, vaddr + filesz - 1);
        Assert.True(elf.Length < 512);
    }

    [Fact]
    public void UnknownArchitecture_HasNoProgram() => Assert.Null(PauseProgram.For(Architecture.S390x));

    [Fact]
    public void SandboxTar_HoldsOnlyTheExecutablePause()
    {
        var (changes, tar) = SandboxImage.Build(Architecture.X64);
        Assert.Equal(["CMD [\"/pause\"]"], changes);
        using var reader = new TarReader(tar);
        var entry = reader.GetNextEntry()!;
        Assert.Equal("pause", entry.Name);
        Assert.True(entry.Mode.HasFlag(UnixFileMode.OtherExecute));
        Assert.Equal(PauseProgram.For(Architecture.X64)!.Length, entry.Length);
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public void UnknownArchitecture_WithoutStaticBusybox_SaysWhatIsMissing()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-busybox-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<InvalidOperationException>(() => SandboxImage.Build(Architecture.S390x, missing));
        Assert.Contains("busybox-static", e.Message);
    }
}
