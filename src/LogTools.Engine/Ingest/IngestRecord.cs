namespace LogTools.Engine.Ingest;

/// <summary>
/// One file in one phase of a run (a row of ingest_log). As input to <see cref="IngestLedger.Write"/>, the ledger
/// assigns <see cref="LogId"/>, <see cref="RunId"/> and <see cref="Phase"/>, and <see cref="Timestamp"/> when unset.
/// </summary>
public sealed class IngestRecord
{
    public long LogId { get; init; }

    public string RunId { get; init; } = string.Empty;

    public string Phase { get; init; } = string.Empty;

    public DateTimeOffset Timestamp { get; init; }

    public long? FileId { get; init; }

    public long? ContentVersionId { get; init; }

    /// <summary>The file's path relative to the pipeline's root, with '/' separators.</summary>
    public required string RelPath { get; init; }

    public IngestStatus Status { get; init; } = IngestStatus.Processed;

    public long? SizeRaw { get; init; }

    public long? SizeStored { get; init; }

    /// <summary>BLAKE3 of the file's content, lowercase hex (as b3sum prints it).</summary>
    public string? ContentHash { get; init; }

    public string? ErrorType { get; init; }

    public string? ErrorMessage { get; init; }
}
