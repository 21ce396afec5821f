namespace LogTools.Engine.Store;

/// <summary>What Get-LogStore reports about a store.</summary>
public sealed class StoreInfo
{
    public required string Path { get; init; }

    /// <summary>Which rule chose this store (Parameter, Session, Environment, Candidate, Default).</summary>
    public required StoreSource Source { get; init; }

    public required string SourceDetail { get; init; }

    public required string DatabasePath { get; init; }

    /// <summary>The number of migrations applied to the store, over all areas.</summary>
    public required int SchemaVersion { get; init; }

    /// <summary>The newest schema version this LogTools knows; equal to SchemaVersion after opening.</summary>
    public required int LatestSchemaVersion { get; init; }

    /// <summary>The database engine: SQLite (a file) or PostgreSQL (a server).</summary>
    public required string Backend { get; init; }

    /// <summary>The version of the database engine holding the index: the SQLite library loaded, or the PostgreSQL server.</summary>
    public required string BackendVersion { get; init; }

    /// <summary>The version of the SQLite library actually loaded when the backend is SQLite; null for a server.</summary>
    public string? SqliteVersion => Backend == "SQLite" ? BackendVersion : null;

    public required string EngineVersion { get; init; }

    public required DateTimeOffset? CreatedAt { get; init; }

    public required long DatabaseBytes { get; init; }

    public required long WalBytes { get; init; }

    /// <summary>Bytes of everything in the store folder other than the database files.</summary>
    public required long ContentBytes { get; init; }

    public required StoreTableInfo[] Tables { get; init; }

    public required StoreFileInfo[] Files { get; init; }

    /// <summary>Each area's version in the store (registered areas in migration order, then any this LogTools does not know).</summary>
    public required StoreAreaVersion[] Schema { get; init; }
}
