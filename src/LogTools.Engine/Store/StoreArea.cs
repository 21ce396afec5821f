namespace LogTools.Engine.Store;

/// <summary>
/// One area of the engine as the store knows it: registered once (see EngineAreas), migrated in registration
/// order, each with its own version sequence in schema_migrations.
/// </summary>
/// <param name="Name">Stable name, as recorded in schema_migrations.area.</param>
/// <param name="Migrations">The area's migrations, versions 1..n in order.</param>
/// <param name="Tables">The tables the area owns (what its migrations create), for Get-LogStore.</param>
public sealed record StoreArea(string Name, IReadOnlyList<Migration> Migrations, IReadOnlyList<string> Tables)
{
    /// <summary>Folders of the store (relative names) holding the area's content files, which Backup-LogStore copies.</summary>
    public IReadOnlyList<string> ContentFolders { get; init; } = [];

    /// <summary>Of <see cref="ContentFolders"/>, those whose *.db files are databases: copied with SQLite's backup and checked by Test-LogStore.</summary>
    public IReadOnlyList<string> DatabaseFolders { get; init; } = [];

    /// <summary>
    /// Test-LogStore's check of the area's content files against the index (progress gets each file checked; a stop is
    /// seen between files, and within a file the check reads); none when null.
    /// </summary>
    public Func<LogStore, Action<string>?, CancellationToken, IEnumerable<StoreProblem>>? CheckContent { get; init; }

    /// <summary>The area's tables that Move-LogRecord moves into the monthly archive databases, in copy order (parents first).</summary>
    public IReadOnlyList<StoreArchiveTable> Archived { get; init; } = [];

    /// <summary>The area's newest version in this build.</summary>
    public int Latest => Migrations.Count == 0 ? 0 : Migrations[^1].Version;
}
