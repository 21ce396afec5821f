namespace LogTools.Engine.Sessions;

/// <summary>Rows of one table that move (or would move, with -WhatIf) into one monthly archive database.</summary>
public sealed class LogArchiveCount
{
    /// <summary>The archive's month, "2025-01" (UTC month of the row's time; a session's start for sessions, tasks and workers).</summary>
    public required string Month { get; init; }

    public required string Table { get; init; }

    public required long Rows { get; init; }

    /// <summary>The archive database: &lt;store&gt;/archive/logs-YYYY-MM.db.</summary>
    public required string Path { get; init; }
}
