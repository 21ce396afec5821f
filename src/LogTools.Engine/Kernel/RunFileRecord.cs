namespace LogTools.Engine;

/// <summary>
/// What a job did with one file in a phase of its run (Sync-LogSource: one per file action, phase mirror), reported
/// through <see cref="IEngineSink.File"/>; the run's recorder hands these, batched, to whichever area keeps them
/// (Ingest, as ingest_log rows), so the job's area need not know it.
/// </summary>
/// <param name="Status">processed, skipped or error.</param>
public sealed record RunFileRecord(string Phase, string RelPath, string Status)
{
    public long? SizeRaw { get; init; }

    public long? SizeStored { get; init; }

    /// <summary>BLAKE3 of the content, lowercase hex, as the job computed it.</summary>
    public string? ContentHash { get; init; }

    public string? ErrorType { get; init; }

    public string? ErrorMessage { get; init; }
}
