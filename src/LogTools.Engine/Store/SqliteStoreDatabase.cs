using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LogTools.Engine.Store;

/// <summary>
/// The SQLite backend: the only code that knows SQLite's connections, error codes, file header and pools.
/// WAL mode lets readers go on while one process writes.
/// </summary>
internal sealed class SqliteStoreDatabase : StoreDatabase
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADatabase = 26;
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    // Database files whose header this process has read. Only once: closing any descriptor of a file drops all of
    // the process's POSIX locks on it, SQLite's included, and then other processes may reset the WAL under this
    // process's open connections.
    private static readonly ConcurrentDictionary<string, bool> HeaderChecked = new(StringComparer.Ordinal);

    // SQLite's default wal_autocheckpoint, and the one during a bulk load: 256 MiB of 4 KiB pages, so an import's commits
    // do not each end in a checkpoint (with its fsyncs), while a very long one still bounds the WAL file.
    private const int AutoCheckpointPages = 1000;
    private const int BulkLoadCheckpointPages = 65536;

    // SQLite's default page cache (2,000 KiB), and the one during a bulk load.
    private const int DefaultCacheKiB = 2000;
    private const int BulkLoadCacheKiB = 64 * 1024;

    /// <summary>Pages a backup copies between two looks for a stop: 4 MiB at the default page size, a few ms a step.</summary>
    internal const int BackupPagesPerStep = 1024;

    private readonly string connectionString;

    // Bulk loads running in this process (BulkLoad); while any runs, connections opened check the WAL point less often.
    private int bulkLoads;

    // The same database named by an SQLite URI: only a connection opened from a URI reads an attached file's URI
    // (mode=ro). Unpooled, as it serves rare delta reads.
    private readonly string uriConnectionString;

    /// <param name="existing">SQLite opens the file only if it exists, never creating it. (Not SQLITE_OPEN_READONLY: a
    /// read-only connection beside a read-write one in the same process misses WAL commits.)</param>
    public SqliteStoreDatabase(string databasePath, StorePolicy? policy, bool existing)
        : base(databasePath, policy)
    {
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = existing ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(Policy.BusyTimeout.TotalSeconds),
        }.ToString();
        uriConnectionString = new SqliteConnectionStringBuilder(connectionString) { DataSource = Uri(databasePath, null), Pooling = false }.ToString();
    }

    public override string Backend => "SQLite";

    public override DbConnection OpenConnection() => Open(connectionString);

    private SqliteConnection Open(string openWith)
    {
        var connection = new SqliteConnection(openWith);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // busy_timeout lets SQLite itself wait for a lock before reporting BUSY to the retry loop. wal_autocheckpoint is
        // set on every open: a pooled connection never keeps a bulk load's setting, whatever ended the load.
        // The page cache likewise: a bulk load's index inserts land all over the indexes, and pages evicted from SQLite's
        // default 2 MiB cache are read back from the WAL for the next batch.
        var bulk = Volatile.Read(ref bulkLoads) > 0;
        var checkpointPages = bulk ? BulkLoadCheckpointPages : AutoCheckpointPages;
        var cacheKiB = bulk ? BulkLoadCacheKiB : DefaultCacheKiB;
        pragma.CommandText = $"PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = {checkpointPages}; PRAGMA cache_size = -{cacheKiB};";
        pragma.ExecuteNonQuery();
        return connection;
    }

    public override string BackendVersion(DbConnection connection) => (string)Sql.Scalar(connection, null, "SELECT sqlite_version()")!;

    public override IReadOnlyList<string> Tables(DbConnection connection)
    {
        var tables = new List<string>();
        Sql.ForEach(connection, null, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", [], r => tables.Add(r.GetString(0)));
        return tables;
    }

    public override bool? HasDatabaseFormat()
    {
        if (!File.Exists(DatabasePath) || new FileInfo(DatabasePath).Length == 0)
        {
            return null;
        }

        if (HeaderChecked.ContainsKey(DatabasePath))
        {
            return true;
        }

        Span<byte> header = stackalloc byte[16];
        using (var stream = new FileStream(DatabasePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.SequenceEqual(SqliteHeader))
            {
                return false;
            }
        }

        HeaderChecked[DatabasePath] = true;
        return true;
    }

    public override void PrepareForWriters() => Read(c =>
    {
        // journal_mode is persistent in the file; setting it needs no transaction and is a no-op when already WAL.
        if (!string.Equals(Sql.Scalar(c, null, "PRAGMA journal_mode") as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            Sql.Scalar(c, null, "PRAGMA journal_mode = WAL");
        }

        return true;
    });

    public override IReadOnlyList<string> IntegrityFindings(CancellationToken cancellationToken = default) => WithRetry<IReadOnlyList<string>>(() =>
    {
        var findings = new List<string>();
        try
        {
            using var connection = OpenConnection();
            Sql.ForEach(connection, null, "PRAGMA integrity_check", [], r => findings.Add(r.GetString(0)), cancellationToken: cancellationToken);
        }
        catch (SqliteException ex) when (Classify(ex) == StoreFailure.Corrupt)
        {
            // Damage bad enough that the check itself cannot run (page 1, a header that is not SQLite's) is a finding
            // too; whether it is recorded with the corruption marker is the caller's decision (Test-LogStore -WhatIf).
            findings.Add(ex.Message);
        }

        return findings is ["ok"] ? [] : findings;
    });

    /// <remarks>This store's file attached.</remarks>
    internal override T WriteArchive<T>(
        StoreDatabase archive, string schema, Action<DbConnection, DbTransaction, DbConnection, DbTransaction> stage, Func<DbConnection, DbTransaction, T> work) =>
        ((SqliteStoreDatabase)archive).WriteDurable(schema, DatabasePath, work);

    /// <summary>
    /// A write transaction of this database with the file <paramref name="path"/> attached as <paramref name="schema"/>
    /// ('' for a new temporary database), synced to disk with the directory of its rollback journal when it commits.
    /// </summary>
    internal T WriteDurable<T>(string schema, string path, Func<DbConnection, DbTransaction, T> work) =>
        WriteAttached(connectionString, schema, path, durable: true, work);

    public override T WriteReadOnlyAttached<T>(string schema, string path, Func<DbConnection, DbTransaction, T> work) =>
        WriteAttached(uriConnectionString, schema, Uri(path, "mode=ro"), durable: false, work);

    /// <summary>An SQLite URI of a file (absolute, its %, ? and # escaped), with the query <paramref name="query"/>.</summary>
    private static string Uri(string path, string? query)
    {
        var full = Path.GetFullPath(path).Replace('\\', '/');
        var escaped = full.Replace("%", "%25", StringComparison.Ordinal).Replace("?", "%3f", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal);
        return $"file://{(escaped.StartsWith('/') ? string.Empty : "/")}{escaped}{(query is null ? string.Empty : "?" + query)}";
    }

    /// <remarks>
    /// ATTACH and the synchronous level cannot change inside a transaction, so they come first, and DETACH last (connections
    /// are pooled; the next open sets synchronous again).
    /// </remarks>
    private T WriteAttached<T>(string openWith, string schema, string path, bool durable, Func<DbConnection, DbTransaction, T> work) => WithRetry(() =>
    {
        RefuseIfMarkedCorrupt();
        using var connection = Open(openWith);
        Sql.Execute(connection, null, $"ATTACH DATABASE $path AS \"{schema}\"", ("$path", path));
        try
        {
            if (durable)
            {
                // EXTRA: the commit of a rollback-journal database is on disk once its journal's removal is.
                Sql.Execute(connection, null, "PRAGMA main.synchronous = EXTRA");
            }
            else
            {
                // An ingest delta writes thousands of pages: with the default bound its commit ended in a checkpoint,
                // which synced the WAL, then copied every page into the database file and synced that. The commit now
                // syncs the WAL itself (on disk when this returns, as before) and leaves the copy to a later commit of
                // the store, up to the bulk-load bound. The connection is not pooled: both settings end with it.
                Sql.Execute(connection, null, $"PRAGMA main.synchronous = FULL; PRAGMA wal_autocheckpoint = {BulkLoadCheckpointPages}");
            }

            using var transaction = BeginWrite(connection);
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            Sql.Execute(connection, null, $"DETACH DATABASE \"{schema}\"");
        }
    });

    /// <remarks>SQLite's own statement API under the connection: column_blob gives a text value's bytes without a copy.</remarks>
    public override void ForEachUtf8(DbConnection connection, string sql, IReadOnlyList<(string Name, long Value)> parameters, int column, Utf8Row row)
    {
        var db = ((SqliteConnection)connection).Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        using (statement)
        {
            foreach (var (name, value) in parameters)
            {
                Check(db, raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, name), value));
            }

            int result;
            while ((result = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                var isText = raw.sqlite3_column_type(statement, column) == raw.SQLITE_TEXT;
                if (!row(isText ? raw.sqlite3_column_blob(statement, column) : default, isText))
                {
                    return;
                }
            }

            Check(db, result);
        }
    }

    internal override RowInsert PrepareInsert(DbConnection connection, DbTransaction transaction, string sql, (string Name, DbType Type)[] parameters)
    {
        var names = new string[parameters.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = parameters[i].Name;
        }

        return new SqliteRowInsert((SqliteConnection)connection, sql, names);
    }

    /// <remarks>One PASSIVE checkpoint when the last bulk load ends: it waits for no reader and blocks no writer.</remarks>
    public override IDisposable BulkLoad()
    {
        Interlocked.Increment(ref bulkLoads);
        return new BulkLoadEnd(EndBulkLoad);
    }

    private void EndBulkLoad()
    {
        if (Interlocked.Decrement(ref bulkLoads) > 0)
        {
            return;
        }

        try
        {
            Read(c => Sql.Scalar(c, null, "PRAGMA wal_checkpoint(PASSIVE)"));
        }
        catch (LogToolsException)
        {
            // Only the checkpoint was put off, nothing stored depends on it: the next commit's automatic checkpoint does
            // it, and an error here would hide the one that may have ended the load.
        }
    }

    /// <summary>
    /// Throws what SQLite reported when <paramref name="result"/> is neither OK nor DONE, as Microsoft.Data.Sqlite would:
    /// the connection's message when it holds this error, else the code's own text (a backup step's error is not the
    /// connection's).
    /// </summary>
    internal static void Check(sqlite3 db, int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE))
        {
            if ((raw.sqlite3_errcode(db) & 0xFF) == (result & 0xFF))
            {
                throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), result, raw.sqlite3_extended_errcode(db));
            }

            throw new SqliteException(raw.sqlite3_errstr(result).utf8_to_string(), result & 0xFF, result);
        }
    }

    /// <remarks>
    /// SQLite's online backup in steps of <see cref="BackupPagesPerStep"/> pages, a stop seen between them, all inside
    /// one read transaction held on the source: the copy is one snapshot, other processes' commits (WAL mode) neither
    /// wait for it nor restart it.
    /// </remarks>
    public override void BackupTo(string destinationPath, CancellationToken cancellationToken = default)
    {
        var attempts = 0;
        WithRetry(() => Backup(destinationPath, attempts++ > 0, cancellationToken));
    }

    /// <summary>One attempt of <see cref="BackupTo"/>: a stop is seen after each step, and before a retry (the source was locked).</summary>
    private bool Backup(string destinationPath, bool retry, CancellationToken cancellationToken)
    {
        if (retry)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        using var source = (SqliteConnection)OpenConnection();
        using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destinationPath, Pooling = false }.ToString());
        try
        {
            target.Open();
            using (var snapshot = source.BeginTransaction(deferred: true))
            {
                // The read starts here; every step below reuses it instead of starting its own.
                Sql.Scalar(source, snapshot, "SELECT count(*) FROM sqlite_schema");
                using var backup = raw.sqlite3_backup_init(target.Handle, "main", source.Handle, "main");
                if (backup.IsInvalid)
                {
                    Check(target.Handle!, raw.sqlite3_errcode(target.Handle));
                }

                int result;
                while ((result = raw.sqlite3_backup_step(backup, BackupPagesPerStep)) == raw.SQLITE_OK)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                Check(target.Handle!, result);
            }

            // A copy in rollback-journal mode is one self-contained file; a writer that opens it switches it back to WAL.
            using var journal = target.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode = DELETE";
            journal.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is not (SqliteBusy or SqliteLocked or SqliteCorrupt or SqliteNotADatabase))
        {
            throw new LogToolsException(
                "BackupWriteFailed", ErrorKind.WriteError, destinationPath,
                $"Writing the backup copy '{destinationPath}' of '{DatabasePath}' failed ({ex.Message}). The store was not changed; " +
                "free space at the destination or choose another one, and run Backup-LogStore again.", ex);
        }

        return true;
    }

    public override void ReleaseConnections()
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <remarks>An exclusive handle (flock on Unix, share-none on Windows), which the OS releases when a holder dies: no stale locks. It locks one machine only, or the hosts of a file system that honours such locks.</remarks>
    internal override IDisposable? TryLock(string name, string lockFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        try
        {
            return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException) when (File.Exists(lockFile))
        {
            return null;
        }
    }

    public override void ReleaseAllConnections() => SqliteConnection.ClearAllPools();

    private protected override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    /// <remarks>A deferred transaction: WAL gives it one snapshot from its first read on.</remarks>
    private protected override DbTransaction BeginSnapshot(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    private protected override StoreFailure? Classify(DbException ex) => ex is not SqliteException sqlite ? null : sqlite.SqliteErrorCode switch
    {
        SqliteBusy or SqliteLocked => StoreFailure.Busy,
        SqliteCorrupt or SqliteNotADatabase => StoreFailure.Corrupt,
        SqliteFull => StoreFailure.DiskFull,
        SqliteReadOnly or SqliteCantOpen => StoreFailure.NotWritable,
        SqliteIoError => StoreFailure.IOError,
        _ => null,
    };
}
