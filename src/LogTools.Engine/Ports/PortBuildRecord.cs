namespace LogTools.Engine.Ports;

/// <summary>One build record (Get-PortBuild): a port built once, with its timings and outcome.</summary>
public sealed class PortBuildRecord
{
    public required string BuildId { get; init; }

    public required string Origin { get; init; }

    public required string Version { get; init; }

    public PortRecordStatus Status { get; init; }

    public string? Reason { get; init; }

    /// <summary>The checksum recorded after a successful build (before the build while it runs or when it failed).</summary>
    public string? Checksum { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public TimeSpan? Duration { get; init; }

    public string? FailedPhase { get; init; }

    public int? ExitCode { get; init; }

    public string? LogPath { get; init; }

    public string? PackageFile { get; init; }

    public IReadOnlyList<PortPhaseTiming> Phases { get; init; } = [];

    /// <summary>The Invoke-PortBuild run, and the port's own run (its log).</summary>
    public string? RunId { get; init; }

    public string? LogRunId { get; init; }

    public required string HostName { get; init; }
}
