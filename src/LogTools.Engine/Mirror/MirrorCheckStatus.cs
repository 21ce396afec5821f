namespace LogTools.Engine.Mirror;

/// <summary>The verdict of Test-LogMirror on one mirrored file.</summary>
public enum MirrorCheckStatus
{
    /// <summary>The pond copy (and, when asked, the host file) hash to the recorded BLAKE3.</summary>
    Ok,

    /// <summary>The pond copy's bytes do not hash to the recorded BLAKE3 (or its length differs).</summary>
    PondMismatch,

    /// <summary>The pond copy is missing.</summary>
    PondMissing,

    /// <summary>The host file no longer holds what was mirrored.</summary>
    HostMismatch,

    /// <summary>The host file is gone (the pond copy is fine).</summary>
    HostMissing,
}
