namespace LogTools.Engine.Journal;

/// <summary>One line of a journal as <see cref="JournalContent"/> hands it on: its value, or why it is not a record.</summary>
public readonly struct JournalRecord
{
    internal JournalRecord(long lineNumber, object? value, LogToolsException? problem)
    {
        LineNumber = lineNumber;
        Value = value;
        Problem = problem;
    }

    public long LineNumber { get; }

    /// <summary>The record: the line's text, or its JSON value built with plain types.</summary>
    public object? Value { get; }

    /// <summary>Null for a record; otherwise the defect, with a stable id and the target "path:line".</summary>
    public LogToolsException? Problem { get; }
}
