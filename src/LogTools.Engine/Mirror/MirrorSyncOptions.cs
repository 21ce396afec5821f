namespace LogTools.Engine.Mirror;

/// <summary>How one sync runs and where it reports what is not an output object. Callbacks run on the syncing thread.</summary>
public sealed class MirrorSyncOptions
{
    /// <summary>Plan only: read the host, the pond and the recorded state, write nothing.</summary>
    public bool WhatIf { get; init; }

    /// <summary>Check the whole mirrored prefix of the active file and re-hash known archives, not just the cheap checks.</summary>
    public bool Verify { get; init; }

    /// <summary>How long to wait for another sync of the same source before failing with SyncInProgress.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Stops the sync between files and between copied blocks (OperationCanceledException); an interrupted copy is
    /// undone like a failed one, so the pond holds only recorded bytes.
    /// </summary>
    public CancellationToken CancellationToken { get; init; }

    public Action<MirrorProgress>? Progress { get; init; }

    /// <summary>Something the user must notice (a changed archive, a truncation, unaccounted bytes).</summary>
    public Action<string>? Warning { get; init; }

    /// <summary>One file failed (unreadable, refused name or link); the sync goes on with the others.</summary>
    public Action<LogToolsException>? Error { get; init; }

    /// <summary>
    /// The source's patterns found no host file (a missing folder or a pattern that matches nothing): reported on every
    /// run; nothing is created or recorded for a source that was never mirrored. Without a handler, it is a warning.
    /// </summary>
    public Action<LogToolsException>? NothingFound { get; init; }

    /// <summary>Debugging detail: recovery steps, decisions.</summary>
    public Action<string>? Verbose { get; init; }
}
