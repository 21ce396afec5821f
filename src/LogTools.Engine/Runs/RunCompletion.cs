using LogTools.Engine.Store;

namespace LogTools.Engine.Runs;

/// <summary>
/// What other areas do when a run completes (Ingest builds the run's blocks), registered once by EngineAreas, so
/// Runs knows no other area. Hooks run after the run is stored as completed, in registration order.
/// </summary>
public static class RunCompletion
{
    private static readonly List<Action<LogStore, string>> Hooks = [];

    /// <summary>Adds a hook called with the store and the id of each run just completed.</summary>
    public static void Register(Action<LogStore, string> hook) => Hooks.Add(hook);

    internal static void Completed(LogStore store, string runId)
    {
        foreach (var hook in Hooks)
        {
            hook(store, runId);
        }
    }
}
