using LogTools.Engine.Store;

namespace LogTools.Engine.Runs;

/// <summary>
/// Where a run's per-file records go (Ingest logs them as ingest_log rows), registered once by EngineAreas, so Runs
/// knows no other area. <see cref="RunRecorder"/> hands them over in batches while the run is still open.
/// </summary>
public static class RunFiles
{
    private static readonly List<Action<LogStore, string, IReadOnlyList<RunFileRecord>>> Writers = [];

    /// <summary>Adds a writer called with the store, the run's id and a batch of its file records.</summary>
    public static void Register(Action<LogStore, string, IReadOnlyList<RunFileRecord>> writer) => Writers.Add(writer);

    internal static void Write(LogStore store, string runId, IReadOnlyList<RunFileRecord> records)
    {
        foreach (var writer in Writers)
        {
            writer(store, runId, records);
        }
    }
}
