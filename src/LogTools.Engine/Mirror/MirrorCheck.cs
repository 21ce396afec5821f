namespace LogTools.Engine.Mirror;

/// <summary>One mirrored file re-hashed by Test-LogMirror, against the recorded digest and optionally the host file.</summary>
public sealed class MirrorCheck
{
    public string Source { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public MirrorFileKind Kind { get; init; }

    public MirrorCheckStatus Status { get; init; }

    /// <summary>The recorded length of the pond copy.</summary>
    public long Length { get; init; }

    public string RecordedBlake3 { get; init; } = string.Empty;

    /// <summary>BLAKE3 of the pond copy's recorded length, or null when the copy is missing.</summary>
    public string? PondBlake3 { get; init; }

    /// <summary>BLAKE3 of the host file (its mirrored prefix for the active file), or null when not checked.</summary>
    public string? HostBlake3 { get; init; }

    public string PondPath { get; init; } = string.Empty;

    public string? HostPath { get; init; }

    public string? Message { get; init; }
}
