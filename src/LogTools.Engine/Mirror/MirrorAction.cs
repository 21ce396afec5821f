namespace LogTools.Engine.Mirror;

/// <summary>What one sync did (or, with -WhatIf, would do) to one file.</summary>
public enum MirrorAction
{
    /// <summary>A new file was copied and hashed in one pass.</summary>
    Copied,

    /// <summary>The active file grew; only the new bytes were read and appended.</summary>
    Appended,

    /// <summary>Nothing to do (an archive checked by a stat, or an active file that did not grow).</summary>
    Unchanged,

    /// <summary>The mirrored active copy became the archive the host rotated it to, completed with the archive's remaining bytes.</summary>
    Rotated,

    /// <summary>The mirrored active copy was kept under a distinct name: the host truncated the file and no archive holds its content.</summary>
    Preserved,

    /// <summary>An archive no longer matches what was mirrored; the pond keeps the original.</summary>
    Changed,

    /// <summary>The host file is gone; the pond copy is kept.</summary>
    Gone,

    /// <summary>A new archive holds the active file's mirrored content while the active file still continues it (a copy in progress): left for a later sync.</summary>
    Deferred,

    /// <summary>With -Verify: the pond copy no longer hashes to its recorded BLAKE3. Nothing was changed; restore the copy from a backup.</summary>
    Damaged,
}
