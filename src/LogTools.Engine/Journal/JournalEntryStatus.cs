namespace LogTools.Engine.Journal;

/// <summary>What a <see cref="JournalReader"/> found on one line of a journal.</summary>
public enum JournalEntryStatus
{
    /// <summary>A complete line holding valid UTF-8 (and, unless validation is off, one well-formed JSON value).</summary>
    Ok,

    /// <summary>The last line of the stream has no terminating newline: it is still being written, or a writer crashed.</summary>
    Torn,

    /// <summary>The line is not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>The line is valid UTF-8 but not one well-formed JSON value.</summary>
    InvalidJson,

    /// <summary>The line is longer than <see cref="JournalReadOptions.MaxLineBytes"/>; it was skipped without being buffered.</summary>
    TooLong,
}
