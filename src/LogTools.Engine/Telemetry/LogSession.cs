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

    /// <summary>The settings snapshot given to Start-LogSession, as data: $s.Config.key reads a value.</summary>
    public required DataMap? Config { get; init; }

    /// <summary>The same settings as the JSON text stored.</summary>
    public required string? ConfigJson { get; init; }

    /// <summary>The machine the session was started on.</summary>
    public required string HostName { get; init; }

    /// <summary>The process (on <see cref="HostName"/>) that started the session; null for sessions recorded before LogTools kept it.</summary>
    public required long? ProcessId { get; init; }

    public required string UserName { get; init; }

    public required string? WorkingDirectory { get; init; }

    /// <summary>Started to ended, or to the time of the query while the session runs.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Active, Stopped, or Abandoned: never stopped, and its process on this machine is gone.</summary>
    public required LogSessionStatus Status { get; init; }

    public bool IsActive => Status == LogSessionStatus.Active;
}
