namespace LogTools.Engine.Sessions;

/// <summary>How <see cref="HistoryImporter.Import"/> runs.</summary>
public sealed class HistoryImportOptions
{
    /// <summary>The machine every imported call is attributed to; also part of the per-file state's key.</summary>
    public string Machine { get; init; } = Environment.MachineName;

    /// <summary>
    /// Asked once per file that has something to read, before anything is written for it; false reads and counts
    /// but writes nothing (-WhatIf). Null writes everything.
    /// </summary>
    public Func<string, bool>? ShouldWrite { get; init; }

    /// <summary>Called for a file that cannot be read; the import goes on with the next file.</summary>
    public Action<LogToolsException>? OnError { get; init; }

    /// <summary>
    /// Stops the import between lines (OperationCanceledException): batches already handed off are written whole,
    /// the one being filled is dropped, and each file's recorded offset covers only what was written.
    /// </summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Called as bytes are read: (bytes read so far, bytes to read in all, current file).</summary>
    public Action<long, long, string>? OnProgress { get; init; }
}
