namespace LogTools.Engine.Mirror;

/// <summary>
/// How one sync runs. What is not a result (warnings, per-file errors, progress, recovery steps) and the stop
/// token come from the <see cref="IEngineSink"/> the sync is given: a stop ends it between files and between
/// copied blocks (OperationCanceledException), and an interrupted copy is undone like a failed one, so the pond
/// holds only recorded bytes.
/// </summary>
public sealed class MirrorSyncOptions
{
    /// <summary>Plan only: read the host, the pond and the recorded state, write nothing.</summary>
    public bool WhatIf { get; init; }

    /// <summary>Check the whole mirrored prefix of the active file and re-hash known archives, not just the cheap checks.</summary>
    public bool Verify { get; init; }

    /// <summary>How long to wait for another sync of the same source before failing with SyncInProgress.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
