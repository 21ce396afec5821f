using System.Runtime.InteropServices;

namespace LogTools.Engine;

/// <summary>
/// Linux statx(2): what the kernel says of a file without opening it. Where it is not available (not Linux, or a libc
/// before 2.28) callers get null and do what they did without it.
/// </summary>
internal static partial class Statx
{
    private const int AtCurrentFolder = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint BasicStats = 0x7ff;

    // The file type bits of stx_mode (sys/stat.h), the same on every Linux architecture.
    private const int TypeMask = 0xF000;

    private static bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>
    /// The statx record of <paramref name="path"/> (with <paramref name="follow"/>, of the file a symbolic link leads
    /// to), or null where statx is not available or fails.
    /// </summary>
    public static Record? Of(string path, bool follow)
    {
        if (unavailable)
        {
            return null;
        }

        try
        {
            return Call(AtCurrentFolder, path, follow ? 0 : AtSymlinkNoFollow, BasicStats, out var record) == 0 ? record : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true;
            return null;
        }
    }

    /// <summary>
    /// What <paramref name="path"/> (or the file a symbolic link leads to) is when it exists and is not a regular file
    /// or a folder, as a noun phrase ("a FIFO (named pipe)"); null otherwise, and where statx cannot be asked. Opening a
    /// FIFO waits for a writer, and a device may never end, so readers ask first.
    /// </summary>
    public static string? SpecialFileKind(string path) => (Of(path, follow: true)?.Mode & TypeMask) switch
    {
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => null,
    };

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Call(int folder, string path, int flags, uint mask, out Record record);

    /// <summary>struct statx (linux/stat.h): the same layout on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct Record
    {
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(96)] public long ChangedSeconds;
        [FieldOffset(104)] public uint ChangedNanoseconds;
        [FieldOffset(112)] public long ModifiedSeconds;
        [FieldOffset(120)] public uint ModifiedNanoseconds;
        [FieldOffset(136)] public uint DeviceMajor;
        [FieldOffset(140)] public uint DeviceMinor;
    }
}
