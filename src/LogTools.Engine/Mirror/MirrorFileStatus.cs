namespace LogTools.Engine.Mirror;

/// <summary>The recorded state of a mirrored file against its host file.</summary>
public enum MirrorFileStatus
{
    /// <summary>The pond copy matches what the host had when it was mirrored.</summary>
    Ok,

    /// <summary>An archive changed on the host after it was mirrored (immutability violated); the pond keeps the original.</summary>
    ChangedOnHost,

    /// <summary>The host file no longer exists; the pond copy is kept.</summary>
    GoneFromHost,

    /// <summary>The archive is the former active file, completed from the host archive after a rotation.</summary>
    Rotated,

    /// <summary>An active copy kept aside because the host file was truncated and no archive holds its content.</summary>
    PreservedTruncation,

    /// <summary>In a -Verify result only: the pond copy is changed or missing (it no longer hashes to the recorded BLAKE3). The record keeps what was mirrored.</summary>
    PondDamaged,
}
