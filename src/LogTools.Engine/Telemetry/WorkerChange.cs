namespace LogTools.Engine.Sessions;

/// <summary>What Set-LogWorker asks for: a status step and/or new field values for one worker. Null means "leave as is".</summary>
public sealed class WorkerChange
{
    public required string WorkerId { get; init; }

    public LogWorkerStatus? Status { get; init; }

    /// <summary>The session a new worker belongs to; not used when the worker exists.</summary>
    public string? SessionId { get; init; }

    public string? TaskId { get; init; }

    public long? ProcessId { get; init; }

    public long? ExitCode { get; init; }

    /// <summary>Full path of the worker's JSONL conversation.</summary>
    public string? LogFile { get; init; }

    /// <summary>When the step happened; now when null.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}
