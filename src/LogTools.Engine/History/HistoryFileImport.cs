namespace LogTools.Engine.Sessions;

/// <summary>What Import-LogHistory did with one log file.</summary>
public sealed class HistoryFileImport : IRunOutput
{
    /// <summary>Full path of the log file.</summary>
    public required string Path { get; init; }

    /// <summary>The machine the file's API calls were attributed to.</summary>
    public required string Machine { get; init; }

    /// <summary>True when size and modification time matched the last import: the file was not opened.</summary>
    public bool Unchanged { get; init; }

    /// <summary>True when the file was shorter than, or different from, what was imported before, so it was read from the start.</summary>
    public bool Restarted { get; init; }

    /// <summary>True when nothing was written (-WhatIf): the counts say what an import would read.</summary>
    public bool WhatIf { get; set; }

    /// <summary>Where reading started: 0, or where the last import stopped.</summary>
    public long StartOffset { get; init; }

    /// <summary>Bytes read this time (complete lines only; a torn last line is left for next time).</summary>
    public long BytesRead { get; set; }

    /// <summary>Complete lines read this time.</summary>
    public long Lines { get; set; }

    /// <summary>Lines that are API calls (Claude Code assistant entries with usage, worker api_call lines).</summary>
    public long Calls { get; set; }

    /// <summary>API calls added to the store.</summary>
    public long Imported { get; set; }

    /// <summary>API calls already in the store (same message id and request id), not added again.</summary>
    public long Duplicates { get; set; }

    /// <summary>Well-formed lines that are not API calls (user and tool entries, summaries, synthetic messages).</summary>
    public long Skipped { get; set; }

    /// <summary>Lines that are not one well-formed JSON value, or API call records with missing or invalid fields.</summary>
    public long Malformed { get; set; }

    /// <summary>The first malformed line's problem (line number counted from StartOffset, byte offset, defect), or null.</summary>
    public string? FirstProblem { get; set; }

    /// <summary>True when the file ends in an incomplete line, which the next import reads once it is complete.</summary>
    public bool TornTail { get; set; }

    /// <summary>The Import-LogHistory run that read the file (Get-LogRun -Kind import); null under -WhatIf.</summary>
    public string? RunId { get; set; }

    /// <summary>An import.file event with the file and its counts; the summary adds the counts up (row_count: calls added).</summary>
    public RunOutputEvent ToRunEvent() => new(
        "import.file",
        new Dictionary<string, object?>
        {
            ["path"] = Path, ["unchanged"] = Unchanged, ["restarted"] = Restarted, ["bytes"] = BytesRead, ["lines"] = Lines,
            ["calls"] = Calls, ["added"] = Imported, ["duplicates"] = Duplicates, ["malformed"] = Malformed,
        },
        new Dictionary<string, long>
        {
            ["input_file_count"] = 1, ["bytes_read"] = BytesRead, ["lines"] = Lines, ["calls"] = Calls, ["row_count"] = Imported,
            ["duplicates"] = Duplicates, ["malformed"] = Malformed,
        });
}
