namespace LogTools.Engine;

/// <summary>
/// Progress of long engine work: what it does (<see cref="Activity"/>), where it is (<see cref="Status"/>,
/// <see cref="CurrentOperation"/>), and how far, <see cref="Done"/> of <see cref="Total"/> (bytes when
/// <see cref="Bytes"/>, otherwise steps; a total of 0 means unknown).
/// </summary>
public sealed record EngineProgress(string Activity, string Status, long Done = 0, long Total = 0)
{
    public string? CurrentOperation { get; init; }

    /// <summary>Done and Total count bytes: shown as sizes after the status.</summary>
    public bool Bytes { get; init; }

    /// <summary>Work with a smaller Total finishes too fast for a progress bar to help: it is not drawn.</summary>
    public long MinimumTotal { get; init; }
}
