namespace LogTools.Engine.Store;

/// <summary>What Test-LogStore found wrong with one part of a store.</summary>
public enum StoreProblemKind
{
    /// <summary>SQLite's integrity check reported damage in logtools.db or an archive database.</summary>
    DatabaseDamaged,

    /// <summary>A mirrored pond file the store records is missing.</summary>
    PondMissing,

    /// <summary>A mirrored pond file does not hash to the BLAKE3 the store records.</summary>
    PondMismatch,

    /// <summary>A worker's conversation file (workers.log_file) is missing.</summary>
    ConversationMissing,

    /// <summary>A completed run's event log is missing.</summary>
    RunLogMissing,

    /// <summary>A completed run's event log does not hash to its recorded BLAKE3, or its sequence has gaps (Test-LogRun says which).</summary>
    RunLogMismatch,
}
