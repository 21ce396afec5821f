using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Engine.Ports;

/// <summary>
/// The build's records in the store (build records, indexes, the ports' runs), written fail-safe: a failure of the
/// store (locked, read-only, full) becomes a warning and the build goes on without that record.
/// </summary>
internal sealed class PortTracking(LogStore store, IEngineSink sink)
{
    public LogStore Store { get; } = store;

    public PortIndex Index { get; } = new(store);

    public RunLedger Ledger { get; } = new(store);

    /// <summary>Runs <paramref name="step"/>; a store failure is a warning naming <paramref name="what"/>, and gives <paramref name="fallback"/>.</summary>
    public T Try<T>(string what, Func<T> step, T fallback)
    {
        try
        {
            return step();
        }
        catch (Exception ex) when (ex is LogToolsException or IOException or UnauthorizedAccessException)
        {
            sink.Warning($"Could not record {what}: {ex.Message} The build goes on.");
            return fallback;
        }
    }

    public void Try(string what, Action step) => Try(what, () =>
    {
        step();
        return true;
    }, false);
}
