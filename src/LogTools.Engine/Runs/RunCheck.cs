namespace LogTools.Engine.Runs;

/// <summary>One completed run as Test-LogRun checked it.</summary>
public sealed class RunCheck
{
    public required string RunId { get; init; }

    public RunCheckStatus Status { get; init; }

    /// <summary>The BLAKE3 recorded at completion.</summary>
    public string? ExpectedBlake3 { get; init; }

    /// <summary>The BLAKE3 of the (decompressed) log now; null when it is missing.</summary>
    public string? ActualBlake3 { get; init; }

    public long ExpectedEvents { get; init; }

    /// <summary>Events read now.</summary>
    public long Events { get; init; }

    /// <summary>The first place the sequence breaks (a gap, a repeat, a broken line), or null.</summary>
    public string? Problem { get; init; }

    public required string EventsPath { get; init; }
}
