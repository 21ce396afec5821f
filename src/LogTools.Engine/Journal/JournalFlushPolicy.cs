namespace LogTools.Engine.Journal;

/// <summary>
/// When a <see cref="JournalWriter"/> hands buffered records to the operating system. The policy is checked on each
/// append only: there is no timer or background thread, because asynchronous flushing is what loses entries or hangs
/// at process exit. Records still buffered when appends stop are written by <see cref="JournalWriter.Flush()"/> or
/// <see cref="JournalWriter.Dispose"/>. Independently of the policy, a writer never buffers more than 64 KiB of
/// whole lines before writing them.
/// </summary>
public sealed class JournalFlushPolicy
{
    private JournalFlushPolicy(int maxPendingRecords, TimeSpan? maxDelay)
    {
        MaxPendingRecords = maxPendingRecords;
        MaxDelay = maxDelay;
    }

    /// <summary>
    /// Flush after every record (the default): a crash or kill of the process loses nothing that
    /// <see cref="JournalWriter.Append"/> returned for, which matters more for unattended jobs than the cost of one
    /// write call per record.
    /// </summary>
    public static JournalFlushPolicy EveryRecord { get; } = new(1, null);

    /// <summary>
    /// Flush once <paramref name="count"/> records are buffered, or, when <paramref name="maxDelay"/> is given, on the
    /// first append at least that long after the oldest buffered record. For bulk writers.
    /// </summary>
    public static JournalFlushPolicy EveryRecords(int count, TimeSpan? maxDelay = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (maxDelay is { } delay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(maxDelay));
        }

        return new JournalFlushPolicy(count, maxDelay);
    }

    /// <summary>Flush on the first append at least <paramref name="interval"/> after the oldest buffered record.</summary>
    public static JournalFlushPolicy Every(TimeSpan interval) => EveryRecords(int.MaxValue, interval);

    /// <summary>Number of buffered records that triggers a flush.</summary>
    public int MaxPendingRecords { get; }

    /// <summary>Age of the oldest buffered record that triggers a flush on the next append; null for none.</summary>
    public TimeSpan? MaxDelay { get; }
}
