namespace LogTools.Engine.Ingest;

/// <summary>One finding of Test-IngestBlock: a block, a phase's root (no block number), or a file (-Content).</summary>
public sealed class IngestCheck
{
    public required string RunId { get; init; }

    public required string Phase { get; init; }

    public int? BlockNumber { get; init; }

    public IngestCheckStatus Status { get; init; }

    /// <summary>The stored fields that differ from their recomputed values (files_count, merkle_hash, ...).</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>The file a content finding is about.</summary>
    public string? RelPath { get; init; }

    public required string Message { get; init; }
}
