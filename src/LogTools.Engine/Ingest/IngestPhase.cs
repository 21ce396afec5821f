namespace LogTools.Engine.Ingest;

/// <summary>One phase of a run (a row of ingest_phases): its times, its counts from ingest_log, and its blocks' root.</summary>
public sealed class IngestPhase
{
    public required string RunId { get; init; }

    public required string Phase { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public TimeSpan? Duration { get; init; }

    /// <summary>What the pipeline says the phase produced (Complete-IngestPhase -RowsOut).</summary>
    public long? RowsOut { get; init; }

    public long Files { get; init; }

    public long Processed { get; init; }

    public long Skipped { get; init; }

    public long Errors { get; init; }

    public long BytesRaw { get; init; }

    public long BytesStored { get; init; }

    /// <summary>Records a block holds, when the blocks are built.</summary>
    public int? BlockSize { get; init; }

    public int? BlockCount { get; init; }

    /// <summary>The RFC 9162 tree head (BLAKE3) over the phase's block roots, when the blocks are built.</summary>
    public string? MerkleRoot { get; init; }

    public DateTimeOffset? BuiltAt { get; init; }
}
