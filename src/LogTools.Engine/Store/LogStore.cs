using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;

namespace LogTools.Engine.Store;

/// <summary>
/// One store: a folder holding logtools.db (the SQLite index) and the content files, or a database on a PostgreSQL
/// server and the shared folder (content root) holding the content files. Opening checks the folder and the database,
/// refuses anything it must not touch, and runs pending migrations.
/// </summary>
public sealed class LogStore
{
    public const string DatabaseFileName = "logtools.db";

    /// <summary>The error of a reader (or a plan) given a location that holds no store.</summary>
    private const string NotFoundId = "StoreNotFound";

    // Opening (header check, migration check) is done once per store per process; cmdlets call Open often.
    private static readonly ConcurrentDictionary<string, LogStore> Opened = new(StringComparer.Ordinal);

    private LogStore(string path, StorePolicy policy, string? databasePath = null, bool existing = false)
        : this(path, StoreDatabase.Open(databasePath ?? System.IO.Path.Combine(path, DatabaseFileName), policy, existing))
    {
    }

    private LogStore(string path, StoreDatabase database)
    {
        Path = path;
        Database = database;
    }

    // A store opened for Test-LogStore (StoreAccess.Check) whose reader checks, which read the database, wait for its integrity check.
    private bool readerChecksPending;

    /// <summary>Full path of the store folder (on a server, the content root).</summary>
    public string Path { get; }

    public StoreDatabase Database { get; }

    /// <summary>The version of the LogTools engine, as recorded in the stores it writes.</summary>
    public static string EngineVersion { get; } =
        typeof(LogStore).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// Opens the store in <paramref name="path"/>. A writer creates and migrates it when needed; a reader
    /// (<see cref="StoreAccess.Read"/>, <see cref="StoreAccess.Inspect"/>, <see cref="StoreAccess.Check"/>) opens only an existing
    /// database and gets a clear error for a store that does not exist or, with Read, has an older schema, so a mistyped path is
    /// never taken for an empty store.
    /// </summary>
    /// <param name="path">The store folder, or a server location (postgres://user@host:5432/database?content=/shared/folder).</param>
    /// <param name="password">For a server: the password given as a credential (otherwise PGPASSWORD or ~/.pgpass).</param>
    public static LogStore Open(string path, StoreAccess access = StoreAccess.Write, StorePolicy? policy = null, string? password = null)
    {
        var full = ServerLocation.IsServer(path) ? path : System.IO.Path.GetFullPath(path);
        if (access != StoreAccess.Write)
        {
            var reader = Create(path, policy, password, existing: true);
            if (!reader.PrepareReader(access))
            {
                throw reader.NotFound();
            }

            return reader;
        }

        if (Opened.TryGetValue(full, out var known) && (ServerLocation.IsServer(path) || known.Database.Exists()))
        {
            return known;
        }

        var store = Create(path, policy, password, existing: false);
        store.Prepare();
        Opened[full] = store;
        return store;
    }

    /// <summary>
    /// The store at <paramref name="path"/> opened to read or inspect it (never created, migrated or changed), as <see cref="Open"/>
    /// opens it with <paramref name="access"/>; null when there is no store there yet (a server is asked): for a plan
    /// (-WhatIf) of a command that would create the store.
    /// </summary>
    public static LogStore? OpenIfExists(string path, StoreAccess access = StoreAccess.Inspect, string? password = null)
    {
        if (access == StoreAccess.Write)
        {
            throw new ArgumentOutOfRangeException(nameof(access), "Only a reader opens a store without creating it.");
        }

        var store = Create(path, null, password, existing: true);
        return store.PrepareReader(access) ? store : null;
    }

    /// <summary>The store object of a folder or server location, not yet checked or opened.</summary>
    private static LogStore Create(string path, StorePolicy? policy, string? password, bool existing)
    {
        if (ServerLocation.IsServer(path))
        {
            var server = ServerLocation.Parse(path);
            return new LogStore(server.ContentRoot, StoreDatabase.OpenServer(server, password, policy));
        }

        return new LogStore(System.IO.Path.GetFullPath(path), policy ?? StorePolicy.Default, existing: existing);
    }

    /// <summary>
    /// Opens (creating and migrating when needed) a database file with the store's schema outside the
    /// store's own logtools.db: the archive's monthly files. It keeps SQLite's default rollback journal,
    /// so an archive stays one self-contained file. A reader (<paramref name="access"/> not Write) opens an
    /// existing file only, never changes it, and refuses one with an older schema (ArchiveSchemaOutdated).
    /// </summary>
    internal static StoreDatabase OpenSchemaFile(string databasePath, StoreAccess access = StoreAccess.Write)
    {
        var file = new LogStore(System.IO.Path.GetDirectoryName(databasePath)!, StorePolicy.Default, databasePath, existing: access != StoreAccess.Write);
        if (access != StoreAccess.Write)
        {
            file.CheckDatabaseFile();
            var versions = file.Versions();
            file.RefuseNewer(versions);
            var behind = Behind(versions);
            if (behind.Count > 0 || versions.Total < StoreSchema.Latest)
            {
                throw new LogToolsException(
                    "ArchiveSchemaOutdated", ErrorKind.InvalidOperation, databasePath,
                    $"The archive database '{databasePath}' has schema version {versions.Total}{BehindText(behind)}; " +
                    $"this LogTools {EngineVersion} reads version {StoreSchema.Latest}. Commands that only read never upgrade an archive, and it was not changed. " +
                    "To upgrade the store's archives, back the store up with Backup-LogStore, then run Move-LogRecord on it " +
                    "(it upgrades every archive before moving records; -OlderThan 36500 moves nothing).");
            }

            return file.Database;
        }

        file.CheckFolder();
        file.CheckDatabaseFile();
        file.RefuseNewer(file.Versions());
        file.Migrate();
        return file.Database;
    }

    /// <summary>
    /// A path inside the store for a content file. Relative parts only: anything that would resolve
    /// outside the store folder is refused, so configuration cannot make LogTools write elsewhere.
    /// </summary>
    public string ContentPath(params string[] parts)
    {
        var combined = System.IO.Path.GetFullPath(System.IO.Path.Combine([Path, .. parts]));
        var root = Path.EndsWith(System.IO.Path.DirectorySeparatorChar) ? Path : Path + System.IO.Path.DirectorySeparatorChar;
        if (!combined.StartsWith(root, StringComparison.Ordinal) || parts.Any(System.IO.Path.IsPathRooted))
        {
            throw new LogToolsException(
                "StorePathEscapes", ErrorKind.InvalidArgument, string.Join('/', parts),
                $"The path '{string.Join('/', parts)}' would resolve outside the store folder '{Path}'. Use a relative path without '..'.");
        }

        return combined;
    }

    /// <summary>
    /// Holds the store's lock named <paramref name="name"/> (one sync of a source, one build of a port tree at a time) until
    /// disposed: across processes, and on a server store across hosts (an advisory lock; a file lock in the store's locks/
    /// folder otherwise). A holder that dies releases it. Waits up to <paramref name="timeout"/> for another holder, then
    /// throws what <paramref name="held"/> makes.
    /// </summary>
    public IDisposable Lock(string name, TimeSpan timeout, Func<LogToolsException> held)
    {
        var lockFile = ContentPath("locks", name + ".lock");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (Database.TryLock(name, lockFile) is { } lease)
            {
                return lease;
            }

            if (clock.Elapsed >= timeout)
            {
                throw held();
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>Everything Get-LogStore shows: where, how chosen, schema, SQLite version, sizes and row counts.</summary>
    public StoreInfo Describe(StoreSource source, string sourceDetail) => Database.Read(connection =>
    {
        var counts = Database.Tables(connection).Select(t => new StoreTableInfo(t, StoreSchema.Owner(t), Convert.ToInt64(Sql.Scalar(connection, null, $"SELECT count(*) FROM \"{t}\"")))).ToArray();
        var created = StoreMeta.Get(connection, null, "created_at");
        var files = new DirectoryInfo(Path).EnumerateFileSystemInfos()
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new StoreFileInfo(f.Name, f is DirectoryInfo d ? SizeOf(d) : ((FileInfo)f).Length, f is DirectoryInfo))
            .ToArray();
        long SizeNamed(string name) => files.FirstOrDefault(f => f.Name == name)?.Length ?? 0;
        var versions = Versions(connection, null);

        return new StoreInfo
        {
            Path = Path,
            Source = source,
            SourceDetail = sourceDetail,
            DatabasePath = Database.DatabasePath,
            SchemaVersion = versions.Total,
            LatestSchemaVersion = StoreSchema.Latest,
            Schema = [
                .. StoreSchema.Areas.Where(a => a.Latest > 0).Select(a => new StoreAreaVersion(a.Name, versions.Areas.GetValueOrDefault(a.Name), a.Latest)),
                .. versions.Areas.Where(a => StoreSchema.Areas.All(k => k.Name != a.Key)).Select(a => new StoreAreaVersion(a.Key, a.Value, 0)),
            ],
            Backend = Database.Backend,
            BackendVersion = Database.BackendVersion(connection),
            EngineVersion = EngineVersion,
            CreatedAt = StoreTime.ParseOrNull(created),
            DatabaseBytes = Database.ServerBytes(connection) ?? SizeNamed(DatabaseFileName),
            WalBytes = SizeNamed(DatabaseFileName + "-wal"),
            ContentBytes = files.Where(f => !f.Name.StartsWith(DatabaseFileName, StringComparison.Ordinal)).Sum(f => f.Length),
            Tables = counts,
            Files = files,
        };
    });

    private static long SizeOf(DirectoryInfo folder) =>
        folder.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }).Sum(f => f.Length);

    private void Prepare()
    {
        CheckFolder();
        if (!Database.Exists())
        {
            // A store folder removed behind this process's back: its pooled connections still hold the deleted
            // file open, and writing through them would put every new row into a file nobody can see.
            Database.ReleaseAllConnections();
        }

        CheckDatabaseFile();
        RefuseNewer(Versions());
        Database.RefuseIfMarkedCorrupt();
        TouchEveryTable();
        Database.PrepareForWriters();
        Migrate();
    }

    /// <summary>
    /// Checks a store opened to read; false when there is none (a file database is looked for first, a server is asked with its versions).
    /// With <see cref="StoreAccess.Check"/> a file database is not read yet: <see cref="CompleteReaderChecks"/> does that once it is found sound.
    /// </summary>
    private bool PrepareReader(StoreAccess access)
    {
        RefuseFile();
        if (Database is SqliteStoreDatabase)
        {
            if (!Database.Exists())
            {
                return false;
            }

            if (access == StoreAccess.Check)
            {
                readerChecksPending = true;
                return true;
            }
        }

        CheckDatabaseFile();
        if (ExistingVersions() is not { } versions)
        {
            return false;
        }

        RefuseNewer(versions);
        var behind = Behind(versions);
        if ((access is StoreAccess.Read or StoreAccess.Check) && (behind.Count > 0 || versions.Total < StoreSchema.Latest))
        {
            throw new LogToolsException(
                "StoreSchemaOutdated", ErrorKind.InvalidOperation, Path,
                $"The store '{Path}' has schema version {versions.Total}{BehindText(behind)}; this LogTools {EngineVersion} reads version {StoreSchema.Latest}. " +
                "Commands that only read never upgrade a store, and the store was not changed. To upgrade it, back it up with " +
                $"Backup-LogStore, then run Set-LogStore -Path '{Path}' (or any command that writes to it).");
        }

        return true;
    }

    /// <summary>
    /// For a store opened with <see cref="StoreAccess.Check"/>, once the integrity check found its database sound: the checks
    /// a reader makes when it opens it (StoreNotFound for a file without store tables, StoreSchemaTooNew, StoreSchemaOutdated).
    /// Nothing for any other store, which had them when it was opened.
    /// </summary>
    internal void CompleteReaderChecks()
    {
        if (!readerChecksPending)
        {
            return;
        }

        readerChecksPending = false;
        if (!PrepareReader(StoreAccess.Read))
        {
            throw NotFound();
        }
    }

    private LogToolsException NotFound() => Database is SqliteStoreDatabase
        ? new LogToolsException(
            NotFoundId, ErrorKind.ObjectNotFound, Path,
            $"There is no LogTools store in '{Path}' ({DatabaseFileName} is missing). Commands that only read never create one: " +
            "check the path (-Store, Set-LogStore, $env:LOGTOOLS_STORE). A command that writes creates the store, " +
            $"or create it now with Set-LogStore -Path '{Path}'.")
        : new LogToolsException(
            NotFoundId, ErrorKind.ObjectNotFound, Database.DatabasePath,
            $"There is no LogTools store in the database '{Database.DatabasePath}' yet (it has no store tables). Commands that only read never create one: " +
            "check the location (-Store, Set-LogStore, $env:LOGTOOLS_STORE). A command that writes creates the store's tables there.");

    /// <summary>The areas whose version in the database is older than this build's, as "Area n of m".</summary>
    private static List<string> Behind(StoreVersions versions) =>
        StoreSchema.Areas.Where(a => versions.Areas.GetValueOrDefault(a.Name) < a.Latest).Select(a => $"{a.Name} {versions.Areas.GetValueOrDefault(a.Name)} of {a.Latest}").ToList();

    /// <summary>" (areas behind: ...)" for an error message, or nothing.</summary>
    private static string BehindText(List<string> behind) => behind.Count > 0 ? $" (areas behind: {string.Join(", ", behind)})" : "";

    /// <summary>The number of migrations the store records as applied (SQLite: PRAGMA user_version), and each area's version.</summary>
    private StoreVersions Versions() => ExistingVersions() ?? new StoreVersions(0, new Dictionary<string, int>(StringComparer.Ordinal));

    /// <summary>The versions of the store, on one connection; null when its database holds no store tables.</summary>
    private StoreVersions? ExistingVersions() => Database.Read(c => SqlDialect.Of(c).ReadVersions(c));

    private static StoreVersions Versions(DbConnection connection, DbTransaction? transaction) =>
        new(SqlDialect.Of(connection).ReadUserVersion(connection, transaction), StoreSchema.Applied(connection, transaction));

    /// <summary>
    /// Reads the first row of every table, so damage to any table's root page (which reading page 1 alone
    /// misses) is found when a writer opens the store, before it writes. The cost follows the number of
    /// tables, not the size of the store; damage deeper in a b-tree is found when it is reached.
    /// </summary>
    private void TouchEveryTable() => Database.Read(connection =>
    {
        var tables = Database.Tables(connection);
        foreach (var table in tables)
        {
            Sql.Scalar(connection, null, $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\" LIMIT 1");
        }

        return tables.Count;
    });

    private void RefuseFile()
    {
        if (File.Exists(Path))
        {
            throw new LogToolsException(
                "StorePathIsFile", ErrorKind.InvalidArgument, Path,
                $"The store path '{Path}' is a file, not a folder. Choose a folder (it is created if missing); LogTools did not touch the file.");
        }
    }

    private void CheckFolder()
    {
        RefuseFile();
        try
        {
            Directory.CreateDirectory(Path);
            // A probe proves the folder takes new files (SQLite needs -wal and -shm beside the database).
            using var probe = File.Open(
                System.IO.Path.Combine(Path, $".logtools-probe-{System.Environment.ProcessId}-{Guid.NewGuid():N}"),
                new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.DeleteOnClose });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(ex);
        }
    }

    private void CheckDatabaseFile()
    {
        if (Directory.Exists(Database.DatabasePath) || Database.HasDatabaseFormat() == false)
        {
            throw NotADatabase(null);
        }
    }

    /// <summary>Refuses a store with more migrations than this build knows, or an area newer than this build's or unknown to it.</summary>
    private void RefuseNewer(StoreVersions versions)
    {
        // A loop, not LINQ over the dictionary's KeyValuePair<string, int>: this runs on every open, and LINQ over a value
        // type is compiled at run time in each new process.
        var newer = new List<string>();
        foreach (var (area, version) in versions.Areas)
        {
            var known = StoreSchema.Areas.FirstOrDefault(k => k.Name == area);
            if (known is null || version > known.Latest)
            {
                newer.Add(known is null ? $"{area} {version} (an area this LogTools does not have)" : $"{area} {version}");
            }
        }

        if (newer.Count > 0 || versions.Total > StoreSchema.Latest)
        {
            var which = newer.Count > 0 ? $" (newer areas: {string.Join(", ", newer)})" : "";
            throw new LogToolsException(
                "StoreSchemaTooNew", ErrorKind.InvalidOperation, Path,
                $"The store '{Path}' has schema version {versions.Total}{which}, written by a newer LogTools; this LogTools {EngineVersion} knows versions up to {StoreSchema.Latest}. " +
                "Update LogTools to use this store. The store was not changed.");
        }
    }

    private void Migrate() => Database.Write((connection, transaction) =>
    {
        // Read again inside the write lock: another process may have migrated since we looked.
        var current = Versions(connection, transaction);
        RefuseNewer(current);
        // Area by area in registration order; the Store area's own first, which turns a store written before per-area
        // versions into one keyed by area (the insert names its columns, so it fits either layout).
        foreach (var area in StoreSchema.Areas)
        {
            foreach (var migration in area.Migrations.Where(m => m.Version > current.Areas.GetValueOrDefault(area.Name)))
            {
                Sql.Execute(connection, transaction, migration.Sql);
                Sql.Execute(
                    connection, transaction,
                    "INSERT INTO schema_migrations (area, version, description, applied_at, applied_by) VALUES ($a, $v, $d, $t, $b)",
                    ("$a", area.Name), ("$v", migration.Version), ("$d", migration.Description), ("$t", StoreTime.ToText(DateTimeOffset.UtcNow)), ("$b", "LogTools " + EngineVersion));
            }
        }

        if (current.Total != StoreSchema.Latest)
        {
            SqlDialect.Of(connection).WriteUserVersion(connection, transaction, StoreSchema.Latest);
        }

        if (current.Areas.Count == 0)
        {
            StoreMeta.Set(connection, transaction, "created_at", StoreTime.ToText(DateTimeOffset.UtcNow));
            StoreMeta.Set(connection, transaction, "created_by", "LogTools " + EngineVersion);
        }
    });

    private LogToolsException NotADatabase(Exception? inner) => new(
        "StoreDatabaseInvalid", ErrorKind.InvalidData, Database.DatabasePath,
        $"'{Database.DatabasePath}' is not an {Database.Backend} database LogTools can open. LogTools did not touch it; " +
        "move it away or choose another store folder with -Store or Set-LogStore.", inner);

    private LogToolsException NotWritable(Exception inner) => new(
        "StoreNotWritable", ErrorKind.PermissionDenied, Path,
        $"The store folder '{Path}' cannot be written ({inner.Message}). Choose a writable folder with -Store or Set-LogStore, or fix its permissions.", inner);

    /// <summary>The folder holding a location's content files: the folder itself, or a server store's content root.</summary>
    public static string ContentFolder(string location) => ServerLocation.IsServer(location) ? ServerLocation.Parse(location).ContentRoot : location;

    /// <summary>Whether a store exists in the folder <paramref name="path"/> (its database file is there), without opening it; a server store is taken to exist, as only connecting could tell.</summary>
    public static bool Exists(string path) => ServerLocation.IsServer(path) || File.Exists(System.IO.Path.Combine(path, DatabaseFileName));
}
