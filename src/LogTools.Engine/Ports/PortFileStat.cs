using System.Globalization;

namespace LogTools.Engine.Ports;

/// <summary>
/// What the kernel says of a file without reading it (Linux statx, the link itself for a symbolic link): its size,
/// mtime, ctime, inode and device. A write sets both times; the ctime cannot be set by a program (touch -d, cp -p and
/// tar set the mtime, and the ctime moves to "now" as they do), and a file replaced by another has a new inode. So
/// an equal tuple stands for the same bytes, unless the file changed within the ctime's tick after the tuple was
/// taken: a tuple whose ctime is that recent is <see cref="Racy"/>, and vouches for nothing.
/// </summary>
internal readonly record struct PortFileStat(long Length, long ModifiedNs, long ChangedNs, ulong Inode, ulong Device)
{
    // Wider than any file system's timestamp tick (ext4 and xfs: the kernel's coarse clock; FAT: 2 s).
    private static readonly long RacyNs = TimeSpan.FromSeconds(3).Ticks * 100;

    /// <summary>Whether the file's ctime was too close to the time of the stat for the tuple to vouch for its bytes.</summary>
    public bool Racy { get; init; }

    /// <summary>The tuple as one line of text, "length mtime ctime inode device", as a single file's tuple is stored.</summary>
    public string Text => string.Create(CultureInfo.InvariantCulture, $"{Length} {ModifiedNs} {ChangedNs} {Inode} {Device}");

    /// <summary>
    /// The tuple of <paramref name="path"/> (with <paramref name="follow"/>, of the file a symbolic link leads to), or
    /// null where statx is not available (not Linux) or fails.
    /// </summary>
    public static PortFileStat? Of(string path, bool follow = false)
    {
        // Taken before the stat: a change after this moment makes the tuple racy.
        var now = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        if (Statx.Of(path, follow) is not { } buffer)
        {
            return null;
        }

        var changed = buffer.ChangedSeconds * 1_000_000_000 + buffer.ChangedNanoseconds;
        return new PortFileStat(
            (long)buffer.Size, buffer.ModifiedSeconds * 1_000_000_000 + buffer.ModifiedNanoseconds, changed, buffer.Inode,
            ((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor) { Racy = changed > now - RacyNs };
    }
}
