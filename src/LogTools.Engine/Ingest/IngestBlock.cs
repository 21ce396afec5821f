namespace LogTools.Engine.Ingest;

/// <summary>One block of a run's phase (a row of ingest_blocks): consecutive records in log_id order, their totals and Merkle root.</summary>
public sealed class IngestBlock
{
    public required string RunId { get; init; }

    public required string Phase { get; init; }

    /// <summary>0 for the first block of the phase.</summary>
    public int BlockNumber { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset EndedAt { get; init; }

    public TimeSpan Duration { get; init; }

    public long FilesCount { get; init; }

    public long FilesProcessed { get; init; }

    public long FilesError { get; init; }

    public long BytesRaw { get; init; }

    public long BytesStored { get; init; }

    /// <summary>The RFC 9162 tree head (BLAKE3) over the block's records' leaf bytes, lowercase hex.</summary>
    public required string MerkleHash { get; init; }

    public long LogIdStart { get; init; }

    public long LogIdEnd { get; init; }
}
