namespace LogTools.Engine.Sessions;

/// <summary>Filters of Get-LogWorker; every one given must match.</summary>
public sealed class WorkerQuery
{
    /// <summary>An id, or a pattern with wildcards (as are the other ids).</summary>
    public string? WorkerId { get; init; }

    public string? SessionId { get; init; }

    public string? TaskId { get; init; }

    public IReadOnlyCollection<LogWorkerStatus>? Statuses { get; init; }
}
