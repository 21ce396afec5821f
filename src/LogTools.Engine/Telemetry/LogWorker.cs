namespace LogTools.Engine.Sessions;

/// <summary>One worker agent process, with the API calls and tokens recorded for it.</summary>
public sealed class LogWorker
{
    public required string WorkerId { get; init; }

    public required string SessionId { get; init; }

    public required string? TaskId { get; init; }

    public required LogWorkerStatus Status { get; init; }

    public required DateTimeOffset SpawnedAt { get; init; }

    /// <summary>When the worker completed or failed.</summary>
    public required DateTimeOffset? CompletedAt { get; init; }

    public required long? ProcessId { get; init; }

    public required long? ExitCode { get; init; }

    /// <summary>Full path of the worker's JSONL conversation; the store keeps only this pointer.</summary>
    public required string? LogFile { get; init; }

    /// <summary>Number of api_calls rows of this worker.</summary>
    public required long ApiCalls { get; init; }

    /// <summary>Sum of tokens_total over this worker's API calls.</summary>
    public required long TokensTotal { get; init; }

    /// <summary>Spawned to completed or failed, or to the time of the query while it runs.</summary>
    public required TimeSpan Duration { get; init; }
}
