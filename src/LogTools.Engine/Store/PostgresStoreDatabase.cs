using System.Buffers.Binary;
using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace LogTools.Engine.Store;

/// <summary>
/// The PostgreSQL backend, for a store written by many hosts: the only code that knows Npgsql's connections, error codes
/// and pools. The store's tables live in the schema "main" (the name SQLite gives a connection's own database, which the
/// areas' SQL names). Writers take one transaction-scoped advisory lock first, so writes to a store are one at a time
/// as on SQLite, and the areas' read-then-write units (next ids, aggregates) stay exact on every host at once.
/// </summary>
internal sealed class PostgresStoreDatabase : StoreDatabase
{
    /// <summary>The oldest server LogTools supports: 13 (MERGE-free upserts, identity columns, the JSON operators it uses).</summary>
    public const int OldestServer = 13;

    /// <summary>The advisory lock key every writer of a store takes (advisory locks are per database, so one key serves every store).</summary>
    private const long WriteLockKey = 0x4C6F67546F6F6C73; // "LogTools"

    private readonly string connectionString;
    private readonly string contentRoot;
    private int serverChecked;

    static PostgresStoreDatabase() => SqlDialect.Register(typeof(NpgsqlConnection), PostgresDialect.Instance);

    public PostgresStoreDatabase(ServerLocation location, string? password, StorePolicy? policy)
        : base(location.Display, policy)
    {
        contentRoot = location.ContentRoot;
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = location.Host,
            Port = location.Port,
            Database = location.Database,
            SearchPath = "main",
            Pooling = true,
            Timeout = 15,
            // A waiting writer gives up the lock wait after 5 s and the retry loop tries again, within the policy's timeout.
            // No JIT: the store's statements are index reads and small aggregates, but the planner's cost for the cost
            // report's series read (many ranges, each estimated at hundreds of rows) passes jit_above_cost once the store
            // holds about a million calls, and servers built with LLVM (Debian's) then compile it at every run: 8-77 ms
            // a report (and the LLVM load, about half a second, in each new server process) for a read of 3 ms.
            // Startup options survive the pool's RESET ALL.
            Options = "-c lock_timeout=5000 -c jit=off",
            ApplicationName = "LogTools",
        };
        if (location.User is { } user)
        {
            builder.Username = user;
        }

        // Npgsql reads PGPASSWORD and ~/.pgpass itself when no password is given here.
        if ((password ?? location.Password) is { } secret)
        {
            builder.Password = secret;
        }

        connectionString = builder.ConnectionString;
    }

    public override string Backend => "PostgreSQL";

    /// <summary>On the content root: the server holds no files of LogTools'.</summary>
    public override string CorruptMarkerPath => Path.Combine(contentRoot, "postgres" + CorruptMarkerSuffix);

    public override DbConnection OpenConnection()
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        if (Interlocked.Exchange(ref serverChecked, 1) == 0)
        {
            try
            {
                RequireSupportedServer(connection.PostgreSqlVersion, DatabasePath);
            }
            catch (LogToolsException)
            {
                connection.Dispose();
                Interlocked.Exchange(ref serverChecked, 0);
                throw;
            }
        }

        return connection;
    }

    /// <summary>Refuses a server older than <see cref="OldestServer"/>, given the version it reported when the connection opened.</summary>
    internal static void RequireSupportedServer(Version server, string location)
    {
        if (server.Major < OldestServer)
        {
            throw new LogToolsException(
                "StoreServerTooOld", ErrorKind.InvalidOperation, location,
                $"The PostgreSQL server of '{location}' is version {server}; LogTools needs {OldestServer} or newer. " +
                "Nothing was written; upgrade the server or choose another store.");
        }
    }

    public override string BackendVersion(DbConnection connection) => (string)Sql.Scalar(connection, null, "SHOW server_version")!;

    public override IReadOnlyList<string> Tables(DbConnection connection)
    {
        var tables = new List<string>();
        Sql.ForEach(
            connection, null, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE \"C\"",
            [], r => tables.Add(r.GetString(0)));
        return tables;
    }

    public override bool Exists() => Read(c => Sql.Scalar(c, null, "SELECT to_regclass('schema_migrations') IS NOT NULL") is true);

    public override long? ServerBytes(DbConnection connection) => Convert.ToInt64(Sql.Scalar(connection, null, "SELECT pg_database_size(current_database())"));

    public override bool? HasDatabaseFormat() => null;

    /// <summary>The schema and the store's functions, made once by whichever writer comes first.</summary>
    public override void PrepareForWriters() => Write((c, t) =>
    {
        Sql.Execute(c, t, "CREATE SCHEMA IF NOT EXISTS main");
        Sql.Execute(c, t, PostgresDialect.Functions);
    });

    /// <remarks>PostgreSQL checks its pages as it reads them (and reports damage as errors, which mark the store); there is no whole-database check to run.</remarks>
    public override IReadOnlyList<string> IntegrityFindings(CancellationToken cancellationToken = default) => [];

    /// <remarks>The staged rows go into a temporary database (SQLite's ATTACH of ''), which spills to disk when large, and goes with the connection.</remarks>
    internal override T WriteArchive<T>(
        StoreDatabase archive, string schema, Action<DbConnection, DbTransaction, DbConnection, DbTransaction> stage, Func<DbConnection, DbTransaction, T> work) =>
        ((SqliteStoreDatabase)archive).WriteDurable(schema, "", (connection, transaction) =>
        {
            ReadSnapshot((from, snapshot) =>
            {
                stage(from, snapshot, connection, transaction);
                return true;
            });
            return work(connection, transaction);
        });

    public override void BackupTo(string destinationPath, CancellationToken cancellationToken = default) => RefuseBackup();

    public override void RefuseBackup() => throw Unsupported("Backup-LogStore (use pg_dump for the database and copy the content root)");

    /// <remarks>
    /// VACUUM and ANALYZE of the tables, which autovacuum does only a minute or more later: each batch of a load updates
    /// the aggregates' rows again, and until the old versions are vacuumed a report reads past every one of them (a
    /// cost report over 300,000 calls added a moment before: 21 ms for the total and 23 ms by day, against 6 and 12 ms
    /// once vacuumed; docs/performance.md, issue 15). It visits only pages changed since the last vacuum, so it has no
    /// time limit; a stop cancels it. SKIP_LOCKED leaves a table that autovacuum or another host is vacuuming to it.
    /// Never on a store marked damaged. A failure is dropped (autovacuum does it later), except damage, which marks the
    /// store and is reported like any other.
    /// </remarks>
    public override void Tidy(IReadOnlyList<string> tables, CancellationToken cancellation)
    {
        if (tables.Count == 0 || File.Exists(CorruptMarkerPath))
        {
            return;
        }

        try
        {
            Read(c =>
            {
                // A retry after a stop would not be cancelled by the registration below: the stop is checked first.
                cancellation.ThrowIfCancellationRequested();
                using var command = c.CreateCommand();
                command.CommandText = $"VACUUM (ANALYZE, SKIP_LOCKED) {string.Join(", ", tables.Select(t => "main." + t))}";
                command.CommandTimeout = 0;
                using var stop = cancellation.Register(command.Cancel);
                return command.ExecuteNonQuery();
            });
        }
        catch (Exception e) when (e is DbException || (e is LogToolsException failure && failure.ErrorId != CorruptId))
        {
            // Nothing stored depends on it (autovacuum does it later); a cancelled vacuum also ends here.
        }
    }

    public override void ReleaseConnections()
    {
        using var connection = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    public override void ReleaseAllConnections() => NpgsqlConnection.ClearAllPools();

    /// <remarks>
    /// A session-level advisory lock on a connection of its own, kept open while it is held: every host sees it, and the
    /// server releases it when the holder's connection ends (a killed process). The key is the name's SHA-256, first 8 bytes.
    /// </remarks>
    internal override IDisposable? TryLock(string name, string lockFile) => WithRetry<IDisposable?>(() =>
    {
        var key = BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes("LogTools lock " + name)));
        var connection = OpenConnection();
        try
        {
            if (Sql.Scalar(connection, null, "SELECT pg_try_advisory_lock($key)", ("$key", key)) is true)
            {
                return new AdvisoryLock(connection, key);
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        connection.Dispose();
        return null;
    });

    private protected override DbTransaction BeginWrite(DbConnection connection)
    {
        var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        Sql.Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({WriteLockKey})");
        return transaction;
    }

    private protected override DbTransaction BeginSnapshot(DbConnection connection) => connection.BeginTransaction(IsolationLevel.RepeatableRead);

    private protected override StoreFailure? Classify(DbException ex) => ex switch
    {
        PostgresException pg => pg.SqlState switch
        {
            // serialization failure, deadlock, lock timeout: the unit is retried.
            "40001" or "40P01" or "55P03" => StoreFailure.Busy,
            // the connection ended by the server (terminated, shutting down or starting): the unit is retried on a new one.
            "57P01" or "57P02" or "57P03" => StoreFailure.Dropped,
            "53100" => StoreFailure.DiskFull,
            "25006" or "42501" => StoreFailure.NotWritable,
            "XX001" or "XX002" => StoreFailure.Corrupt,
            "58030" => StoreFailure.IOError,
            "28P01" or "28000" => StoreFailure.AccessDenied,
            "3D000" => StoreFailure.Missing,
            _ => null,
        },
        // A connection that broke in the middle of a unit: the server rolled it back whole, and it is retried.
        NpgsqlException { IsTransient: true, InnerException: not (System.Net.Sockets.SocketException or TimeoutException) } => StoreFailure.Dropped,
        NpgsqlException => StoreFailure.Unreachable,
        _ => null,
    };

    /// <summary>A held advisory lock: released, and its connection closed, when disposed.</summary>
    private sealed class AdvisoryLock(DbConnection connection, long key) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                Sql.Execute(connection, null, "SELECT pg_advisory_unlock($key)", ("$key", key));
            }
            catch (DbException)
            {
                // A broken connection: the server released the lock with the session.
            }
            finally
            {
                connection.Dispose();
            }
        }
    }

    private LogToolsException Unsupported(string what) => new(
        "StoreBackendUnsupported", ErrorKind.InvalidOperation, DatabasePath,
        $"The store '{DatabasePath}' is on PostgreSQL, where LogTools does not support {what}. Nothing was changed.");
}
