namespace LogTools.Engine.Ports;

/// <summary>One port's state (Get-PortStatus): its latest build, whether it is up to date, and how long it usually takes.</summary>
public sealed class PortState
{
    public required string Origin { get; init; }

    public required string Version { get; init; }

    public PortChecksumState ChecksumState { get; init; }

    public PortRecordStatus? LastStatus { get; init; }

    public DateTimeOffset? LastBuiltAt { get; init; }

    /// <summary>The median duration of its finished builds: the basis of an ETA.</summary>
    public TimeSpan? MedianDuration { get; init; }

    public int Builds { get; init; }
}
