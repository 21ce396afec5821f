using LogTools.Engine.Store;

namespace LogTools.Engine.Ports;

/// <summary>One port's outcome in Invoke-PortBuild, written as soon as the port is done.</summary>
public sealed class PortBuildResult : IRunOutput
{
    public required string Origin { get; init; }

    public required string Version { get; init; }

    public PortBuildStatus Status { get; init; }

    /// <summary>Why: the build reason (new, checksum changed, ...), the skip reason, or what failed.</summary>
    public string? Reason { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>The build record's UUID; null when the port was not built.</summary>
    public string? BuildId { get; init; }

    /// <summary>The port's phase output (its run's NDJSON log); null when the port was not built or the log could not be started.</summary>
    public string? LogPath { get; init; }

    /// <summary>The phase that failed, and its exit code.</summary>
    public string? FailedPhase { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>The Invoke-PortBuild run.</summary>
    public string? RunId { get; set; }

    public RunOutputEvent? ToRunEvent() => new(
        "port.result",
        new Dictionary<string, object?>
        {
            ["origin"] = Origin, ["version"] = Version, ["status"] = Sql.Lower(Status), ["reason"] = Reason,
            ["duration_ms"] = (long)Duration.TotalMilliseconds, ["build_id"] = BuildId, ["failed_phase"] = FailedPhase, ["exit_code"] = ExitCode,
        },
        new Dictionary<string, long> { [Sql.Lower(Status)] = 1 });
}
