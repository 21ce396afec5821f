using System.Data.Common;
using LogTools.Engine.Store;

namespace LogTools.Engine.Runs;

/// <summary>The steps of a run at which other areas act on what they hang on it (Ingest: its records and blocks).</summary>
public static class RunHooks
{
    /// <summary>After a run is stored as completed, with the store and the run's id (Ingest builds the run's blocks).</summary>
    public static RunHook<Action<LogStore, string>> Completed { get; } = new();

    /// <summary>
    /// A batch of an open run's per-file records, with the store and the run's id (Ingest logs them as ingest_log rows);
    /// <see cref="RunRecorder"/> hands them over in the batches of its events.
    /// </summary>
    public static RunHook<Action<LogStore, string, IReadOnlyList<RunFileRecord>>> Files { get; } = new();

    /// <summary>
    /// Inside the transaction that deletes a run (Remove-LogRun), with its connection, transaction and the run's id: each
    /// area deletes what it hangs on the run, so a removed run leaves nothing behind, or, on any failure, everything stays.
    /// </summary>
    public static RunHook<Action<DbConnection, DbTransaction, string>> Removing { get; } = new();
}
