namespace LogTools.Engine.Store;

/// <summary>A finished, verified backup of a store (Backup-LogStore).</summary>
public sealed class StoreBackupResult
{
    /// <summary>The backup folder: a store folder that -Store can point at.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>The store that was backed up.</summary>
    public string StorePath { get; init; } = string.Empty;

    /// <summary>Size of the copied logtools.db.</summary>
    public long DatabaseBytes { get; init; }

    /// <summary>Content files copied (conversations, pond, archive, runs), each verified by BLAKE3.</summary>
    public int ContentFiles { get; init; }

    public long ContentBytes { get; init; }

    public TimeSpan Duration { get; init; }
}
