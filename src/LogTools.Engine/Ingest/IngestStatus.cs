namespace LogTools.Engine.Ingest;

/// <summary>What the pipeline did with a file in a phase.</summary>
public enum IngestStatus
{
    Processed,
    Skipped,
    Error,
}
