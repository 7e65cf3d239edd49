using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Orchestrator.Agent.Images;

/// <summary>
/// The sandbox's process: a hand-assembled static Linux ELF of a few hundred bytes that blocks SIGTERM and SIGINT,
/// waits for one of them and exits 0. As PID 1 of a container the kernel drops default-action signals, but a
/// blocked signal is never "ignored", so it is queued and <c>rt_sigtimedwait</c> takes it:
/// <code>
///   set = {SIGINT, SIGTERM}                  (bits 1 and 14: 0x4002)
///   rt_sigprocmask(SIG_BLOCK, &amp;set, NULL, 8)
///   do r = rt_sigtimedwait(&amp;set, NULL, NULL, 8) while (r &lt; 0)     (EINTR, e.g. after SIGSTOP/SIGCONT)
///   exit_group(0)
/// </code>
/// The file is one ELF header, one PT_LOAD program header mapping the whole file read+execute at 0x400000, and the
/// code right after them.
/// </summary>
public static class PauseProgram
{
    private const ulong LoadAddress = 0x400000;
    private const int ElfHeaderSize = 64;
    private const int ProgramHeaderSize = 56;
    private const int CodeOffset = ElfHeaderSize + ProgramHeaderSize;

    private const ushort MachineX86_64 = 62;
    private const ushort MachineAarch64 = 183;

    // x86-64 (syscalls: rt_sigprocmask 14, rt_sigtimedwait 128, exit_group 231); the set lives on the stack.
    private static readonly byte[] X86_64Code =
    [
        0x68, 0x02, 0x40, 0x00, 0x00,             // push 0x4002                (the signal set)
        0xb8, 0x0e, 0x00, 0x00, 0x00,             // mov eax, 14               rt_sigprocmask
        0x31, 0xff,                               // xor edi, edi              SIG_BLOCK
        0x48, 0x89, 0xe6,                         // mov rsi, rsp              &set
        0x31, 0xd2,                               // xor edx, edx              no old set
        0x41, 0xba, 0x08, 0x00, 0x00, 0x00,       // mov r10d, 8               sigsetsize
        0x0f, 0x05,                               // syscall
        // wait:
        0xb8, 0x80, 0x00, 0x00, 0x00,             // mov eax, 128              rt_sigtimedwait
        0x48, 0x89, 0xe7,                         // mov rdi, rsp              &set
        0x31, 0xf6,                               // xor esi, esi              no siginfo
        0x31, 0xd2,                               // xor edx, edx              no timeout
        0x41, 0xba, 0x08, 0x00, 0x00, 0x00,       // mov r10d, 8
        0x0f, 0x05,                               // syscall
        0x85, 0xc0,                               // test eax, eax
        0x78, 0xe8,                               // js wait                   interrupted: wait again
        0xb8, 0xe7, 0x00, 0x00, 0x00,             // mov eax, 231              exit_group
        0x31, 0xff,                               // xor edi, edi              status 0
        0x0f, 0x05,                               // syscall
    ];

    // AArch64 (syscalls: rt_sigprocmask 135, rt_sigtimedwait 137, exit_group 94); the set is a literal after the code.
    private static readonly uint[] Aarch64Code =
    [
        0xD2800000, // mov x0, #0                  SIG_BLOCK
        0x10000221, // adr x1, set                 (+68)
        0xD2800002, // mov x2, #0
        0xD2800103, // mov x3, #8
        0xD28010E8, // mov x8, #135                rt_sigprocmask
        0xD4000001, // svc #0
        // wait:
        0x10000180, // adr x0, set                 (+48)
        0xD2800001, // mov x1, #0
        0xD2800002, // mov x2, #0
        0xD2800103, // mov x3, #8
        0xD2801128, // mov x8, #137                rt_sigtimedwait
        0xD4000001, // svc #0
        0xF100001F, // cmp x0, #0
        0x54FFFF2B, // b.lt wait                   (-28)
        0xD2800000, // mov x0, #0
        0xD2800BC8, // mov x8, #94                 exit_group
        0xD4000001, // svc #0
        0xD503201F, // nop                         (aligns the set to 8 bytes)
        0x00004002, // set: .quad 0x4002 (low word)
        0x00000000, //                             (high word)
    ];

    /// <summary>The program for <paramref name="architecture"/>, or null when we have none for it.</summary>
    public static byte[]? For(Architecture architecture) => architecture switch
    {
        Architecture.X64 => Build(MachineX86_64, X86_64Code),
        Architecture.Arm64 => Build(MachineAarch64, Aarch64Code.SelectMany(word =>
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, word);
            return bytes;
        }).ToArray()),
        _ => null,
    };

    private static byte[] Build(ushort machine, byte[] code)
    {
        var file = new byte[CodeOffset + code.Length];
        var span = file.AsSpan();

        // ELF header: 64-bit, little endian, version 1, System V ABI, executable.
        "\u007fELF"u8.CopyTo(span);
        span[4] = 2;  // ELFCLASS64
        span[5] = 1;  // ELFDATA2LSB
        span[6] = 1;  // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(span[16..], 2);                          // e_type ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(span[18..], machine);                    // e_machine
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], 1);                          // e_version
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], LoadAddress + CodeOffset);   // e_entry
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], ElfHeaderSize);              // e_phoff
        BinaryPrimitives.WriteUInt64LittleEndian(span[40..], 0);                          // e_shoff: no sections
        BinaryPrimitives.WriteUInt32LittleEndian(span[48..], 0);                          // e_flags
        BinaryPrimitives.WriteUInt16LittleEndian(span[52..], ElfHeaderSize);              // e_ehsize
        BinaryPrimitives.WriteUInt16LittleEndian(span[54..], ProgramHeaderSize);          // e_phentsize
        BinaryPrimitives.WriteUInt16LittleEndian(span[56..], 1);                          // e_phnum
        BinaryPrimitives.WriteUInt16LittleEndian(span[58..], 64);                         // e_shentsize
        BinaryPrimitives.WriteUInt16LittleEndian(span[60..], 0);                          // e_shnum
        BinaryPrimitives.WriteUInt16LittleEndian(span[62..], 0);                          // e_shstrndx

        // One PT_LOAD: the whole file, read + execute, at LoadAddress.
        var ph = span[ElfHeaderSize..];
        BinaryPrimitives.WriteUInt32LittleEndian(ph, 1);                                  // p_type PT_LOAD
        BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], 5);                             // p_flags PF_R | PF_X
        BinaryPrimitives.WriteUInt64LittleEndian(ph[8..], 0);                             // p_offset
        BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], LoadAddress);                  // p_vaddr
        BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], LoadAddress);                  // p_paddr
        BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], (ulong)file.Length);           // p_filesz
        BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], (ulong)file.Length);           // p_memsz
        BinaryPrimitives.WriteUInt64LittleEndian(ph[48..], 0x1000);                       // p_align

        code.CopyTo(span[CodeOffset..]);
        return file;
    }
}
