using Microsoft.Win32.SafeHandles;

namespace LogTools.Engine.Hashing;

/// <summary>
/// The one "grown or replaced" test for files that are appended to (the mirror's active file, imported history
/// files): BLAKE3 of the first chunk and of the last whole or partial chunk of the prefix read so far. If the file
/// later gives the same two digests for that prefix, it was appended to; if not, it was replaced or rewritten.
/// Two 1 KiB reads, whatever the file's size.
/// </summary>
public readonly record struct AppendFingerprint(string First, string Last)
{
    /// <summary>Bytes per digested piece: one BLAKE3 chunk.</summary>
    public const int ChunkLen = Blake3Core.ChunkLen;

    /// <summary>The length of <see cref="ToString"/>: two hex digests.</summary>
    public const int TextLength = 4 * Blake3Core.OutLen;

    /// <summary>The fingerprint of the first <paramref name="length"/> bytes of <paramref name="file"/>.</summary>
    public static AppendFingerprint Of(SafeFileHandle file, long length)
    {
        var lastStart = LastChunkStart(length);
        return new(Blake3File.HashRange(file, 0, Math.Min(ChunkLen, length)), Blake3File.HashRange(file, lastStart, length - lastStart));
    }

    /// <summary>Where the last chunk of a prefix of <paramref name="length"/> bytes starts (0 when empty).</summary>
    public static long LastChunkStart(long length) => length == 0 ? 0 : (length - 1) / ChunkLen * ChunkLen;

    /// <summary>Reads <see cref="ToString"/>'s form back; null when <paramref name="text"/> is not one.</summary>
    public static AppendFingerprint? Parse(string text) =>
        text.Length == TextLength ? new(text[..(TextLength / 2)], text[(TextLength / 2)..]) : null;

    /// <summary>Both digests in one column's text: first, then last.</summary>
    public override string ToString() => First + Last;
}
