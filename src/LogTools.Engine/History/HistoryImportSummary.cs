namespace LogTools.Engine.Sessions;

/// <summary>The totals of one Import-LogHistory run (-Summary).</summary>
public sealed class HistoryImportSummary : IRunOutput
{
    /// <summary>Log files considered.</summary>
    public long Files { get; private set; }

    /// <summary>Files skipped because they had not changed since the last import.</summary>
    public long Unchanged { get; private set; }

    /// <summary>Files re-read from the start because they were truncated or replaced.</summary>
    public long Restarted { get; private set; }

    /// <summary>True when nothing was written (-WhatIf).</summary>
    public bool WhatIf { get; private set; }

    public long BytesRead { get; private set; }

    public long Lines { get; private set; }

    public long Calls { get; private set; }

    public long Imported { get; private set; }

    public long Duplicates { get; private set; }

    public long Skipped { get; private set; }

    public long Malformed { get; private set; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Duration { get; set; }

    /// <summary>Adds one file's figures to the totals.</summary>
    public void Add(HistoryFileImport file)
    {
        Files++;
        Unchanged += file.Unchanged ? 1 : 0;
        Restarted += file.Restarted ? 1 : 0;
        WhatIf |= file.WhatIf;
        BytesRead += file.BytesRead;
        Lines += file.Lines;
        Calls += file.Calls;
        Imported += file.Imported;
        Duplicates += file.Duplicates;
        Skipped += file.Skipped;
        Malformed += file.Malformed;
    }

    /// <summary>The Import-LogHistory run these totals are of; null under -WhatIf.</summary>
    public string? RunId { get; set; }

    /// <summary>The totals are the run's summary, not an event of it.</summary>
    public RunOutputEvent? ToRunEvent() => null;
}
