using System.Data;
using System.Data.Common;
using System.Diagnostics;

namespace LogTools.Engine.Store;

/// <summary>
/// The database engine behind a store, and the one place that owns connections, transactions, busy timeouts and
/// retries. Every area reads and writes through <see cref="Read{T}"/> and <see cref="Write{T}"/>, so several
/// processes (scheduled tasks) can write the same store at once without "database is locked" reaching the user.
/// Backend-neutral: signatures use System.Data.Common types, and a backend says only what its errors mean
/// (<see cref="Classify"/>); the failures users see are the same for every backend: <see cref="SqliteStoreDatabase"/>
/// (a file, the default) and <see cref="PostgresStoreDatabase"/> (a database server, for many hosts).
/// </summary>
public abstract class StoreDatabase
{
    /// <summary>Suffix of the marker file beside a database that was reported damaged; Test-LogStore removes it.</summary>
    public const string CorruptMarkerSuffix = ".corrupt";

    private protected StoreDatabase(string databasePath, StorePolicy? policy)
    {
        DatabasePath = databasePath;
        Policy = policy ?? StorePolicy.Default;
    }

    /// <summary>The database file, or the server location without its password: what messages name.</summary>
    public string DatabasePath { get; }

    public StorePolicy Policy { get; }

    /// <summary>The database engine's name, as users know it (SQLite).</summary>
    public abstract string Backend { get; }

    /// <summary>The marker that stops writes after the database was reported damaged, kept across processes.</summary>
    public virtual string CorruptMarkerPath => DatabasePath + CorruptMarkerSuffix;

    /// <param name="databasePath">The database file.</param>
    /// <param name="policy">Busy timeout; the default when null.</param>
    /// <param name="existing">For readers and -WhatIf: open the database only if it exists, never creating it.</param>
    public static StoreDatabase Open(string databasePath, StorePolicy? policy = null, bool existing = false) => new SqliteStoreDatabase(databasePath, policy, existing);

    /// <summary>A store's database on a server (<see cref="ServerLocation.IsServer"/>).</summary>
    /// <param name="password">The password when given as a credential; otherwise the server's usual sources (PGPASSWORD, ~/.pgpass).</param>
    internal static StoreDatabase OpenServer(ServerLocation location, string? password, StorePolicy? policy = null) => new PostgresStoreDatabase(location, password, policy);

    /// <summary>Whether the store's database exists (without creating it).</summary>
    public virtual bool Exists() => File.Exists(DatabasePath);

    /// <summary>The database's size as the server counts it; null for a file database, whose files are measured.</summary>
    public virtual long? ServerBytes(DbConnection connection) => null;

    /// <summary>Opens a (pooled) connection with the store's settings applied.</summary>
    public abstract DbConnection OpenConnection();

    /// <summary>The version of the database engine actually in use.</summary>
    public abstract string BackendVersion(DbConnection connection);

    /// <summary>The store's tables (the engine's own excepted), by name.</summary>
    public abstract IReadOnlyList<string> Tables(DbConnection connection);

    /// <summary>
    /// Whether the file looks like this backend's database without opening it (null: nothing to check yet, the file
    /// is missing or empty). Reading it is how damage that would make the engine refuse or misread it is found.
    /// </summary>
    public abstract bool? HasDatabaseFormat();

    /// <summary>Settings a writer makes persistent in the database (SQLite: the WAL journal).</summary>
    public abstract void PrepareForWriters();

    /// <summary>
    /// What the engine's own integrity check reports; empty when the database is sound. Marks nothing: the caller records
    /// the verdict. A stop (<paramref name="cancellationToken"/>) ends the check as an <see cref="OperationCanceledException"/>, never as a finding.
    /// </summary>
    public abstract IReadOnlyList<string> IntegrityFindings(CancellationToken cancellationToken = default);

    /// <summary>
    /// The archive's copy step: one write transaction of the monthly archive <paramref name="archive"/> (an SQLite file),
    /// on disk when this returns (synchronous EXTRA: a later delete from the store never outlives the copy), in which
    /// this store's database reads as the schema <paramref name="schema"/>. An SQLite store attaches its file. A server
    /// store has none: a temporary database is attached under that name, and <paramref name="stage"/> fills it from
    /// one snapshot of the server (store connection and transaction, then the archive's) before <paramref name="work"/> runs.
    /// </summary>
    internal abstract T WriteArchive<T>(
        StoreDatabase archive, string schema, Action<DbConnection, DbTransaction, DbConnection, DbTransaction> stage, Func<DbConnection, DbTransaction, T> work);

    /// <summary>
    /// <see cref="Write{T}"/> with another program's SQLite database attached read-only as <paramref name="schema"/>: never written nor
    /// write-locked, so in WAL mode that program's writers go on. Only the SQLite backend has it.
    /// </summary>
    public virtual T WriteReadOnlyAttached<T>(string schema, string path, Func<DbConnection, DbTransaction, T> work) =>
        throw new NotSupportedException($"The {Backend} store backend cannot attach an SQLite database.");

    /// <summary>
    /// Hands <paramref name="row"/> the <paramref name="column"/> of each row of <paramref name="sql"/>, run on
    /// <paramref name="connection"/> (in its transaction) with integer <paramref name="parameters"/>, as UTF-8 bytes read
    /// in place: for a pass over a million values, where a data reader's string a row costs more than the SQL. Only
    /// the SQLite backend has it.
    /// </summary>
    public virtual void ForEachUtf8(DbConnection connection, string sql, IReadOnlyList<(string Name, long Value)> parameters, int column, Utf8Row row) =>
        throw new NotSupportedException($"The {Backend} store backend has no in-place text reader.");

    /// <summary>
    /// Copies the database to a new file, consistent even while other processes write. Failures writing the copy
    /// are the copy's (BackupWriteFailed), not this database's. A stop (<paramref name="cancellationToken"/>) ends it
    /// within moments, leaving a partial file at <paramref name="destinationPath"/> for the caller to remove.
    /// </summary>
    public abstract void BackupTo(string destinationPath, CancellationToken cancellationToken = default);

    /// <summary>Refuses (StoreBackendUnsupported) a backend <see cref="BackupTo"/> cannot copy: asked before anything is written, and by -WhatIf.</summary>
    public virtual void RefuseBackup()
    {
    }

    /// <summary>
    /// Tries once to take the store's lock named <paramref name="name"/>, held across processes (and, on a server, across
    /// hosts) until the result is disposed or its process ends; null while another holder has it. A file database locks
    /// <paramref name="lockFile"/>; a server takes an advisory lock of its own.
    /// </summary>
    internal abstract IDisposable? TryLock(string name, string lockFile);

    /// <summary>
    /// Prepares <paramref name="sql"/>, an INSERT naming <paramref name="parameters"/> in its text, to run once per row in
    /// the caller's transaction: the bulk-insert seam, in each backend's cheapest form. The caller disposes it before
    /// the transaction ends.
    /// </summary>
    internal virtual RowInsert PrepareInsert(DbConnection connection, DbTransaction transaction, string sql, (string Name, DbType Type)[] parameters) =>
        new(connection, transaction, sql, parameters);

    /// <summary>
    /// Marks a bulk load by this process (many write transactions in a row) until the result is disposed: a backend may
    /// put off work it does after every commit to the end (SQLite: the WAL checkpoint). Nothing else changes, and an
    /// error or a stop inside ends it the same way.
    /// </summary>
    public virtual IDisposable BulkLoad() => new BulkLoadEnd(() => { });

    /// <summary>
    /// After a bulk load that wrote everything it was given: lets the backend tidy <paramref name="tables"/> at once
    /// instead of later (PostgreSQL: VACUUM and ANALYZE). Nothing stored depends on it; a stop ends it early.
    /// </summary>
    public virtual void Tidy(IReadOnlyList<string> tables, CancellationToken cancellation)
    {
    }

    /// <summary>Closes this database's idle pooled connections, so its files can be moved or removed.</summary>
    public abstract void ReleaseConnections();

    /// <summary>Closes every idle pooled connection of the process to this backend, whichever database it holds open.</summary>
    public abstract void ReleaseAllConnections();

    /// <summary>Runs read-only work; opening may wait for a lock, so it retries too.</summary>
    public T Read<T>(Func<DbConnection, T> work) => WithRetry(() =>
    {
        using var connection = OpenConnection();
        return work(connection);
    });

    /// <summary>Runs read-only work in one transaction that sees the database as it was when the work began, whatever others write meanwhile.</summary>
    public T ReadSnapshot<T>(Func<DbConnection, DbTransaction, T> work) => WithRetry(() =>
    {
        using var connection = OpenConnection();
        using var transaction = BeginSnapshot(connection);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    });

    /// <summary>
    /// Runs work in one write-locking transaction and commits it. On a busy or locked database the whole unit is
    /// rolled back and retried with backoff until the policy's timeout, so <paramref name="work"/> must do nothing
    /// outside the transaction that it cannot repeat.
    /// </summary>
    public T Write<T>(Func<DbConnection, DbTransaction, T> work) => WithRetry(() =>
    {
        RefuseIfMarkedCorrupt();
        using var connection = OpenConnection();
        using var transaction = BeginWrite(connection);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    });

    /// <inheritdoc cref="Write{T}"/>
    public void Write(Action<DbConnection, DbTransaction> work) => Write((c, t) =>
    {
        work(c, t);
        return true;
    });

    /// <summary>Stops a write to a database marked corrupt (by this or another process) until Test-LogStore clears it.</summary>
    public void RefuseIfMarkedCorrupt()
    {
        if (File.Exists(CorruptMarkerPath))
        {
            string reason;
            try
            {
                reason = File.ReadAllText(CorruptMarkerPath).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                reason = ex.Message;
            }

            throw Corrupt(reason, null);
        }
    }

    /// <summary>Removes the corruption marker once a check found the database sound.</summary>
    public void ClearCorruptMark() => File.Delete(CorruptMarkerPath);

    /// <summary>Writes the marker (what was found, and when) and returns its text; best effort on a read-only disk.</summary>
    public string MarkCorrupt(string finding)
    {
        var reason = $"{finding}; found {StoreTime.ToText(DateTimeOffset.UtcNow)}";
        try
        {
            // Written whole under a temporary name, so another process never reads half a marker.
            var temporary = $"{CorruptMarkerPath}.{System.Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, reason + System.Environment.NewLine);
            File.Move(temporary, CorruptMarkerPath, overwrite: true);
        }
        catch (Exception io) when (io is IOException or UnauthorizedAccessException)
        {
            reason += $" (the marker '{CorruptMarkerPath}' could not be written: {io.Message})";
        }

        return reason;
    }

    /// <summary>A transaction that takes the write lock at once, so a busy database shows before any work is done.</summary>
    private protected abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>A transaction that takes no write lock and reads one snapshot throughout.</summary>
    private protected abstract DbTransaction BeginSnapshot(DbConnection connection);

    /// <summary>What the backend's error means; null for none of the known failures (a defect, which goes up as it is).</summary>
    private protected abstract StoreFailure? Classify(DbException ex);

    /// <summary>Runs <paramref name="attempt"/>, retrying while the database is busy, and turns the backend's errors into failures users can act on.</summary>
    private protected T WithRetry<T>(Func<T> attempt)
    {
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            try
            {
                return attempt();
            }
            catch (DbException ex) when (Classify(ex) is { } failure)
            {
                if (failure is not (StoreFailure.Busy or StoreFailure.Dropped) || clock.Elapsed >= Policy.BusyTimeout)
                {
                    throw Failure(failure, ex);
                }

                // Jitter keeps several waiting processes from retrying in lockstep.
                Thread.Sleep(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 10)));
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
            }
        }
    }

    /// <summary>
    /// The failure users see, the same for every backend: a lock or a broken connection that outlasted the retries,
    /// damage that marks the database so no process writes to it again until it is checked; a full disk, a read-only
    /// file and I/O errors get their own ids.
    /// </summary>
    private LogToolsException Failure(StoreFailure failure, DbException ex) => failure switch
    {
        StoreFailure.Busy => new LogToolsException(
            "StoreBusy", ErrorKind.ResourceBusy, DatabasePath,
            $"The store database '{DatabasePath}' stayed locked by another process for {Policy.BusyTimeout.TotalSeconds:0} s. " +
            "Nothing was written; run the command again when the other writer has finished.", ex),
        StoreFailure.Dropped => new LogToolsException(
            "StoreConnectionLost", ErrorKind.ConnectionError, DatabasePath,
            $"The connection to the database server of '{DatabasePath}' kept breaking for {Policy.BusyTimeout.TotalSeconds:0} s ({ex.Message}). " +
            "The unit of work being written was rolled back each time, and what the command wrote before it is stored; " +
            "check the server and the network, then run the command again.", ex),
        StoreFailure.Corrupt => Corrupt(MarkCorrupt(ex.Message.TrimEnd('.')), ex),
        StoreFailure.DiskFull => new LogToolsException(
            "StoreDiskFull", ErrorKind.WriteError, DatabasePath,
            $"The disk holding '{DatabasePath}' is full ({ex.Message}). The unit of work being written was rolled back; " +
            "free some space and run the command again.", ex),
        StoreFailure.NotWritable => new LogToolsException(
            "StoreNotWritable", ErrorKind.PermissionDenied, DatabasePath,
            $"The store database '{DatabasePath}' cannot be written or opened ({ex.Message}). Nothing was written; " +
            "check that the folder is mounted writable and that you may write it, or choose another store with -Store.", ex),
        StoreFailure.Unreachable => new LogToolsException(
            "StoreServerUnreachable", ErrorKind.ConnectionError, DatabasePath,
            $"The database server of '{DatabasePath}' cannot be reached ({ex.Message}). Nothing was written; " +
            "check that the server runs and accepts connections at that host and port (or socket folder), then run the command again.", ex),
        StoreFailure.AccessDenied => new LogToolsException(
            "StoreAccessDenied", ErrorKind.PermissionDenied, DatabasePath,
            $"The database server of '{DatabasePath}' refused the login ({ex.Message}). Nothing was written; " +
            "check the user name and the password given through Set-LogStore -Credential, PGPASSWORD, ~/.pgpass or the location.", ex),
        StoreFailure.Missing => new LogToolsException(
            "StoreDatabaseMissing", ErrorKind.ObjectNotFound, DatabasePath,
            $"The database of '{DatabasePath}' does not exist on its server ({ex.Message}). LogTools never creates databases on a server; " +
            "create it (createdb) and grant it to the store's user, then run the command again.", ex),
        _ => new LogToolsException(
            "StoreIOError", ErrorKind.WriteError, DatabasePath,
            $"Reading or writing '{DatabasePath}' failed at the operating-system level ({ex.Message}). The unit of work was rolled back; " +
            "check the disk (space, errors in the system log) and run the command again.", ex),
    };

    /// <summary>The error id of a damaged database.</summary>
    private protected const string CorruptId = "StoreCorrupt";

    private protected LogToolsException Corrupt(string reason, Exception? inner) => new(
        CorruptId, ErrorKind.InvalidData, DatabasePath,
        $"The store database '{DatabasePath}' is damaged ({reason}). LogTools refuses to write to it until it is checked. " +
        "Run Test-LogStore to see what is wrong (it lifts the refusal when the check passes); " +
        "otherwise restore the store from a backup made with Backup-LogStore.", inner);

    /// <summary>Ends a bulk load once, however often it is disposed.</summary>
    private protected sealed class BulkLoadEnd(Action end) : IDisposable
    {
        private int ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref ended, 1) == 0)
            {
                end();
            }
        }
    }
}
