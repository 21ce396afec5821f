namespace LogTools.Engine.Mirror;

/// <summary>One mirrored file as recorded in the store: what Get-LogMirror lists and what a sync starts from.</summary>
public sealed class MirrorFileInfo
{
    public string Source { get; internal set; } = string.Empty;

    /// <summary>The file's name in the pond (the host name, or a distinct name for a preserved copy).</summary>
    public string Name { get; internal set; } = string.Empty;

    public MirrorFileKind Kind { get; internal set; }

    public MirrorFileStatus Status { get; internal set; }

    /// <summary>Bytes mirrored into the pond.</summary>
    public long Length { get; internal set; }

    /// <summary>BLAKE3 of the mirrored bytes, lowercase hex as b3sum prints it.</summary>
    public string Blake3 { get; internal set; } = string.Empty;

    /// <summary>The host file it mirrors; null for a preserved copy.</summary>
    public string? HostPath { get; internal set; }

    /// <summary>The host file's length when last seen.</summary>
    public long? HostLength { get; internal set; }

    /// <summary>Bytes of the former active file that its archive lacks (kept in the pond), counted at rotation.</summary>
    public long UnaccountedBytes { get; internal set; }

    public string? Message { get; internal set; }

    /// <summary>Full path of the pond copy.</summary>
    public string PondPath { get; internal set; } = string.Empty;

    public DateTimeOffset MirroredAt { get; internal set; }

    public DateTimeOffset UpdatedAt { get; internal set; }

    /// <summary>The host file's BLAKE3 when it was mirrored (differs from <see cref="Blake3"/> only for a copytruncate window).</summary>
    internal string? HostBlake3 { get; set; }

    internal long? HostMtimeTicks { get; set; }

    /// <summary>The resumable hash state after <see cref="Length"/> bytes (active file only).</summary>
    internal byte[]? HashState { get; set; }

    /// <summary>BLAKE3 of the first chunk (up to 1 KiB) of the mirrored bytes: the cheap prefix check.</summary>
    internal string? FirstChunk { get; set; }

    /// <summary>BLAKE3 of the last (possibly partial) 1 KiB chunk of the mirrored bytes.</summary>
    internal string? LastChunk { get; set; }
}
