namespace LogTools.Engine.Sessions;

/// <summary>Filters of Get-LogWorker; every one given must match.</summary>
public sealed class WorkerQuery
{
    public string? WorkerId { get; init; }

    public string? SessionId { get; init; }

    public string? TaskId { get; init; }

    public IReadOnlyCollection<LogWorkerStatus>? Statuses { get; init; }
}
