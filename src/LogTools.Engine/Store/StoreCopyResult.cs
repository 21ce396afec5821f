namespace LogTools.Engine.Store;

/// <summary>A store copied to another location, maybe another backend, and verified (Copy-LogStore).</summary>
public sealed class StoreCopyResult
{
    /// <summary>The store copied (a folder, or a server location without its password).</summary>
    public string Source { get; init; } = string.Empty;

    public string SourceBackend { get; init; } = string.Empty;

    /// <summary>The new store: a folder, or a server location without its password; -Store takes it.</summary>
    public string Destination { get; init; } = string.Empty;

    public string DestinationBackend { get; init; } = string.Empty;

    /// <summary>Where the destination's content files are: its folder, or its server store's content root.</summary>
    public string ContentRoot { get; init; } = string.Empty;

    /// <summary>The number of tables copied.</summary>
    public int Tables { get; init; }

    /// <summary>The rows copied, over all tables.</summary>
    public long Rows { get; init; }

    public StoreContentMode Content { get; init; }

    /// <summary>Content files copied (none when left in place).</summary>
    public int ContentFiles { get; init; }

    public long ContentBytes { get; init; }

    /// <summary>The schema version of both stores.</summary>
    public int SchemaVersion { get; init; }

    /// <summary>True: row counts and digests of every table are equal on both sides, and every copied file hashes as its source.</summary>
    public bool Verified { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Each table's rows and digest.</summary>
    public IReadOnlyList<StoreCopyTable> Details { get; init; } = [];
}
