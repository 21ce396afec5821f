namespace LogTools.Engine.Ingest;

/// <summary>
/// Proof that one ingest record is in its block and its block in its run's phase root (RFC 9162 inclusion proofs,
/// BLAKE3): everything <see cref="IngestProofs.Verify"/> needs, with no store. Plain values only, so it survives
/// ConvertTo-Json and a JSON file unchanged. The record's fields are carried, not only its hash, so the verdict
/// also says with what status, sizes and content hash the file was logged.
/// </summary>
public sealed class IngestProof
{
    /// <summary>The hash function H of both trees.</summary>
    public string Hash { get; init; } = "BLAKE3";

    public string RunId { get; init; } = string.Empty;

    public string Phase { get; init; } = string.Empty;

    public long LogId { get; init; }

    /// <summary>The record's time as stored (UTC, milliseconds), which the leaf bytes hold as text.</summary>
    public DateTimeOffset Timestamp { get; init; }

    public string RelPath { get; init; } = string.Empty;

    public string Status { get; init; } = string.Empty;

    public long? SizeRaw { get; init; }

    public long? SizeStored { get; init; }

    public string? ContentHash { get; init; }

    public long? FileId { get; init; }

    public long? ContentVersionId { get; init; }

    public string? ErrorType { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>H(0x00 ‖ leaf bytes), lowercase hex.</summary>
    public string LeafHash { get; init; } = string.Empty;

    /// <summary>The record's position in its block (0-based).</summary>
    public long LeafIndex { get; init; }

    /// <summary>The number of records in the block: the size of the block's tree.</summary>
    public long BlockFiles { get; init; }

    /// <summary>Sibling hashes from the leaf up to the block root, nearest first.</summary>
    public string[] AuditPath { get; init; } = [];

    public string BlockRoot { get; init; } = string.Empty;

    public int BlockNumber { get; init; }

    /// <summary>The number of blocks in the phase: the size of the phase's tree over block roots.</summary>
    public int BlockCount { get; init; }

    /// <summary>Sibling hashes from the block's leaf up to the run's phase root, nearest first.</summary>
    public string[] BlockPath { get; init; } = [];

    /// <summary>The root over the phase's block roots, as stored with the run.</summary>
    public string RunRoot { get; init; } = string.Empty;
}
