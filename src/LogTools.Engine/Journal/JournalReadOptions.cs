namespace LogTools.Engine.Journal;

/// <summary>Options for <see cref="JournalReader"/>.</summary>
public sealed class JournalReadOptions
{
    /// <summary>The default <see cref="MaxLineBytes"/>: 8 MiB.</summary>
    public const int DefaultMaxLineBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Byte offset to start reading from, for incremental import: 0 or a value of <see cref="JournalReader.EndOffset"/>
    /// saved from an earlier read. It must be just past a newline. For gzip journals it counts decompressed bytes and
    /// is reached by reading. Line numbers count from this offset (its line is line 1).
    /// </summary>
    public long StartOffset { get; init; }

    /// <summary>
    /// Longest line, in bytes without its line ending, that is read; longer lines are skipped without being buffered
    /// and reported as <see cref="JournalEntryStatus.TooLong"/>. The reader's memory is bounded by this value.
    /// </summary>
    public int MaxLineBytes { get; init; } = DefaultMaxLineBytes;

    /// <summary>
    /// When true (the default), a line must be one well-formed JSON value to be <see cref="JournalEntryStatus.Ok"/>;
    /// when false only its UTF-8 is checked, for callers that parse each line anyway.
    /// </summary>
    public bool ValidateJson { get; init; } = true;

    /// <summary>
    /// Bytes read from the input at a time, 64 KiB by default. A pass over a whole large journal goes faster with a
    /// larger buffer (fewer reads); a line longer than the buffer still fits, since the buffer grows up to
    /// <see cref="MaxLineBytes"/>.
    /// </summary>
    public int BufferBytes { get; init; } = 64 * 1024;
}
