using System.Diagnostics;

namespace LogTools.Engine.Runs;

/// <summary>
/// Collects events for one run and appends them in batches: when <see cref="MaxEvents"/> are pending, on the first
/// event <see cref="MaxDelay"/> after the oldest pending one, and on <see cref="Flush"/>. A writer killed outright
/// loses at most the pending batch; lines already written are never touched. The batches written on the way are handed
/// to the operating system; <see cref="Flush"/> (the caller's last) also forces the log to disk.
/// </summary>
public sealed class RunEventBatch(RunLedger ledger, string runId)
{
    private readonly List<NewRunEvent> pending = [];
    private long firstPending;
    private bool unsynced;

    public int MaxEvents { get; init; } = 5000;

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public string RunId => runId;

    public int Pending => pending.Count;

    public void Add(NewRunEvent e)
    {
        if (pending.Count == 0)
        {
            firstPending = Stopwatch.GetTimestamp();
        }

        pending.Add(e);
        if (pending.Count >= MaxEvents || Stopwatch.GetElapsedTime(firstPending) >= MaxDelay)
        {
            Flush(durable: false);
        }
    }

    /// <summary>
    /// Appends the pending events and forces the log to disk; returns how many were written (0 when logging failed and
    /// they were counted as lost).
    /// </summary>
    public int Flush()
    {
        if (pending.Count == 0 && unsynced)
        {
            ledger.ForceToDisk(runId);
            unsynced = false;
            return 0;
        }

        return Flush(durable: true);
    }

    private int Flush(bool durable)
    {
        try
        {
            unsynced = !durable && (unsynced || pending.Count > 0);
            return ledger.Append(runId, pending, durable);
        }
        finally
        {
            pending.Clear();
        }
    }
}
