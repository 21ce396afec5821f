namespace LogTools.Engine.Journal;

/// <summary>
/// A torn last line that <see cref="JournalWriter.Open"/> moved out of a journal before appending: the bytes after the
/// last newline, left by a writer that crashed mid-line. They were copied to <see cref="SidecarPath"/> and the journal
/// was truncated to <see cref="Offset"/>; nothing before that offset was touched.
/// </summary>
public sealed class JournalRepair
{
    internal JournalRepair(long offset, long length, string sidecarPath, DateTimeOffset repairedAt)
    {
        Offset = offset;
        Length = length;
        SidecarPath = sidecarPath;
        RepairedAt = repairedAt;
    }

    /// <summary>Byte offset in the journal where the torn fragment started (the journal's length after repair).</summary>
    public long Offset { get; }

    /// <summary>Length of the torn fragment in bytes.</summary>
    public long Length { get; }

    /// <summary>The sidecar file (<c>&lt;journal&gt;.torn</c>) the fragment was appended to.</summary>
    public string SidecarPath { get; }

    /// <summary>When the repair was made (UTC).</summary>
    public DateTimeOffset RepairedAt { get; }
}
