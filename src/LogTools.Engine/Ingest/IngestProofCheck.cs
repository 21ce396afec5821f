namespace LogTools.Engine.Ingest;

/// <summary>The verdict of Test-IngestProof on one proof.</summary>
public sealed class IngestProofCheck
{
    public required string RunId { get; init; }

    public required string Phase { get; init; }

    public required string RelPath { get; init; }

    public string? Status { get; init; }

    public string? ContentHash { get; init; }

    public bool Valid { get; init; }

    /// <summary>What holds (valid) or which step failed.</summary>
    public required string Reason { get; init; }

    public required string RunRoot { get; init; }
}
