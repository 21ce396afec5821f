namespace LogTools.Engine.Sessions;

/// <summary>One coordinator session: from Start-LogSession to Stop-LogSession.</summary>
public sealed class LogSession
{
    public required string SessionId { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset? EndedAt { get; init; }

    public required SessionExitReason? ExitReason { get; init; }

    /// <summary>The commit checked out where the session started, when that was inside a git repository.</summary>
    public required string? GitCommit { get; init; }

    /// <summary>The settings snapshot given to Start-LogSession, as JSON text.</summary>
    public required string? Config { get; init; }

    public required string HostName { get; init; }

    public required string UserName { get; init; }

    public required string? WorkingDirectory { get; init; }

    /// <summary>Started to ended, or to the time of the query while the session runs.</summary>
    public required TimeSpan Duration { get; init; }

    public bool IsActive => EndedAt is null;
}
