using LogTools.Engine.Sessions;

namespace LogTools.Engine.Runs;

/// <summary>A run as Get-LogRun shows it: status, times, summary, pointers to its event log.</summary>
public sealed class LogRun
{
    public required string RunId { get; init; }

    public string? WorkspaceId { get; init; }

    public string? ConfigurationId { get; init; }

    public required string Kind { get; init; }

    /// <summary>The stored status, or <see cref="RunStatus.Abandoned"/> for an open run whose process is gone.</summary>
    public RunStatus Status { get; init; }

    public int? ExitCode { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>From start (or creation) to completion, or to now while open.</summary>
    public TimeSpan Duration { get; init; }

    public long EventsCount { get; init; }

    public long EventsBytes { get; init; }

    /// <summary>BLAKE3 of the log as completed (the plain NDJSON), hex; null while open.</summary>
    public string? EventsBlake3 { get; init; }

    /// <summary>Full path of the log: events.ndjson, or events.ndjson.gz once compressed.</summary>
    public required string EventsPath { get; init; }

    /// <summary>True when the log file is gone from the store (deleted behind its back).</summary>
    public bool LogMissing { get; init; }

    public string[] OutputPaths { get; init; } = [];

    public LogEventSeverity? MaxSeverity { get; init; }

    public string? LastConsoleSnippet { get; init; }

    public long? InputFileCount { get; init; }

    public long? TableCount { get; init; }

    public long? RowCount { get; init; }

    public DataMap? Summary { get; init; }

    public string? SummaryJson { get; init; }

    public required string HostName { get; init; }

    public long? ProcessId { get; init; }

    /// <summary>True when appending to the log failed at least once; <see cref="LoggingError"/> says why.</summary>
    public bool LoggingDegraded => LoggingError is not null;

    /// <summary>The first error that made logging fail, or null.</summary>
    public string? LoggingError { get; init; }

    /// <summary>Events that could not be written to the log.</summary>
    public long EventsLost { get; init; }

    /// <summary>The size cap of the log: beyond half of it the run keeps a rolling tail, and completion drops what lies between (log.truncated).</summary>
    public long MaxLogBytes { get; init; } = RunLayout.DefaultMaxLogBytes;

    /// <summary>
    /// The log's last-write time (UTC ticks) when completion recorded <see cref="EventsBytes"/>; with that length it
    /// tells the file our writer completed from one changed since (see <see cref="RunEventReader"/>).
    /// </summary>
    internal long? EventsWritten { get; init; }

    /// <summary>True for a run that is over (succeeded, failed, cancelled).</summary>
    public bool IsCompleted => Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled;
}
