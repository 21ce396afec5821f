namespace LogTools.Engine.Journal;

/// <summary>Options for <see cref="JournalWriter.Open"/>.</summary>
public sealed class JournalWriterOptions
{
    /// <summary>When buffered records are written to the operating system; <see cref="JournalFlushPolicy.EveryRecord"/> by default.</summary>
    public JournalFlushPolicy FlushPolicy { get; init; } = JournalFlushPolicy.EveryRecord;

    /// <summary>
    /// When true, every flush the policy triggers also forces the data to disk (fsync), so it survives power loss,
    /// at the cost of milliseconds per flush. False by default: the operating system already keeps flushed data
    /// through a crash of the process, and <see cref="JournalWriter.Dispose"/> always forces the data to disk.
    /// </summary>
    public bool FlushToDisk { get; init; }

    /// <summary>
    /// When true (the default), <see cref="JournalWriter.Dispose"/> forces the data to disk. A writer that is opened
    /// and closed once per batch turns it off for all but its last batch: a forced write costs milliseconds, and the
    /// operating system keeps written data through a crash of the process anyway.
    /// </summary>
    public bool FlushToDiskOnDispose { get; init; } = true;
}
