namespace LogTools.Engine.Sessions;

/// <summary>How <see cref="HistoryImporter.Import"/> runs; what it reports, asks and stops on comes from its <see cref="IEngineSink"/>.</summary>
public sealed class HistoryImportOptions
{
    /// <summary>The machine every imported call is attributed to; also part of the per-file state's key.</summary>
    public string Machine { get; init; } = HostName.Current;

    /// <summary>How many files are read and parsed at once: one per core by default (at most 4).</summary>
    public int Parsers { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);
}
