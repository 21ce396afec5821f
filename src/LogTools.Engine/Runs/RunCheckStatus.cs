namespace LogTools.Engine.Runs;

/// <summary>What Test-LogRun found for one completed run's log.</summary>
public enum RunCheckStatus
{
    /// <summary>The log hashes to the recorded BLAKE3 and its sequences run 1..n without gaps.</summary>
    Ok,

    /// <summary>The log's content differs from what was recorded at completion (edited).</summary>
    Tampered,

    /// <summary>The log is shorter than at completion (cut off), or a compressed log ends early.</summary>
    Truncated,

    /// <summary>The log file is gone.</summary>
    Missing,
}
