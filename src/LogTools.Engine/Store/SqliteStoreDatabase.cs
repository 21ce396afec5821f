using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace LogTools.Engine.Store;

/// <summary>
/// The one place that owns connections, transactions, busy timeouts and retries. Every area reads
/// and writes through <see cref="Read{T}"/> and <see cref="Write{T}"/>, so several processes
/// (scheduled tasks) can write the same store at once without "database is locked" reaching the user.
/// Signatures use System.Data.Common types so that a second backend can stand behind them.
/// </summary>
public sealed class StoreDatabase
{
    /// <summary>Suffix of the marker file beside a database that SQLite reported damaged; Test-LogStore removes it.</summary>
    public const string CorruptMarkerSuffix = ".corrupt";

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADatabase = 26;
    private readonly string connectionString;

    /// <param name="databasePath">The database file.</param>
    /// <param name="policy">Busy timeout; the default when null.</param>
    /// <param name="existing">For readers and -WhatIf: SQLite opens the file only if it exists, never creating it. (Not
    /// SQLITE_OPEN_READONLY: a read-only connection beside a read-write one in the same process misses WAL commits.)</param>
    public StoreDatabase(string databasePath, StorePolicy? policy = null, bool existing = false)
    {
        DatabasePath = databasePath;
        Policy = policy ?? StorePolicy.Default;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = existing ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(Policy.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    public string DatabasePath { get; }

    public StorePolicy Policy { get; }

    /// <summary>The marker that stops writes after SQLite reported this file damaged, kept across processes.</summary>
    public string CorruptMarkerPath => DatabasePath + CorruptMarkerSuffix;

    /// <summary>Opens a pooled connection with the store's pragmas applied.</summary>
    public DbConnection OpenConnection()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // busy_timeout lets SQLite itself wait for a lock before reporting BUSY to the retry loop.
        pragma.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Runs read-only work; WAL readers never wait for writers, but opening may, so it retries too.</summary>
    public T Read<T>(Func<DbConnection, T> work) => WithRetry(() =>
    {
        using var connection = OpenConnection();
        return work(connection);
    });

    /// <summary>
    /// Runs work in one immediate (write-locking) transaction and commits it. On a busy or locked
    /// database the whole unit is rolled back and retried with backoff until the policy's timeout,
    /// so <paramref name="work"/> must do nothing outside the transaction that it cannot repeat.
    /// </summary>
    public T Write<T>(Func<DbConnection, DbTransaction, T> work) => WithRetry(() =>
    {
        RefuseIfMarkedCorrupt();
        using var connection = OpenConnection();
        using var transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    });

    /// <summary>
    /// <see cref="Write{T}"/> with another database file attached as <paramref name="schema"/>: ATTACH
    /// cannot run inside a transaction, so it comes first, and DETACH last (connections are pooled).
    /// Only one of the two files should be written: SQLite does not make a transaction over a WAL
    /// database and another file atomic as a whole.
    /// </summary>
    public T WriteAttached<T>(string schema, string path, Func<DbConnection, DbTransaction, T> work) => WithRetry(() =>
    {
        RefuseIfMarkedCorrupt();
        using var connection = OpenConnection();
        using (var attach = connection.CreateCommand())
        {
            attach.CommandText = $"ATTACH DATABASE $path AS \"{schema}\"";
            attach.Parameters.Add(new SqliteParameter("$path", path));
            attach.ExecuteNonQuery();
        }

        try
        {
            using var transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            using var detach = connection.CreateCommand();
            detach.CommandText = $"DETACH DATABASE \"{schema}\"";
            detach.ExecuteNonQuery();
        }
    });

    /// <inheritdoc cref="Write{T}"/>
    public void Write(Action<DbConnection, DbTransaction> work) => Write((c, t) =>
    {
        work(c, t);
        return true;
    });

    /// <summary>
    /// Copies the database to a new file with SQLite's online backup: one read transaction, so the copy is
    /// consistent even while other processes write (they are not blocked in WAL mode). Failures writing the copy
    /// are the copy's, not this database's.
    /// </summary>
    public void BackupTo(string destinationPath) => WithRetry(() =>
    {
        using var source = (SqliteConnection)OpenConnection();
        using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destinationPath, Pooling = false }.ToString());
        try
        {
            target.Open();
            source.BackupDatabase(target);
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
    });

    /// <summary>Closes this database's idle pooled connections, so its files can be moved or removed.</summary>
    public void ReleaseConnections()
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Closes every idle pooled connection of the process, whichever database file it holds open.</summary>
    public static void ReleaseAllConnections() => SqliteConnection.ClearAllPools();

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

    /// <summary>
    /// Turns what SQLite reports into a failure the user can act on, in this one place for every area:
    /// damage (SQLITE_CORRUPT, SQLITE_NOTADB) marks the database so no process writes to it again until it
    /// is checked; a full disk, a read-only file and I/O errors get their own ids. Null when <paramref name="ex"/>
    /// is none of these (a defect, which goes up as it is).
    /// </summary>
    public LogToolsException? Classify(SqliteException ex)
    {
        switch (ex.SqliteErrorCode)
        {
            case SqliteCorrupt or SqliteNotADatabase:
                return Corrupt(MarkCorrupt(ex.Message.TrimEnd('.')), ex);
            case SqliteFull:
                return new LogToolsException(
                    "StoreDiskFull", ErrorKind.WriteError, DatabasePath,
                    $"The disk holding '{DatabasePath}' is full ({ex.Message}). The unit of work being written was rolled back; " +
                    "free some space and run the command again.", ex);
            case SqliteReadOnly or SqliteCantOpen:
                return new LogToolsException(
                    "StoreNotWritable", ErrorKind.PermissionDenied, DatabasePath,
                    $"The store database '{DatabasePath}' cannot be written or opened ({ex.Message}). Nothing was written; " +
                    "check that the folder is mounted writable and that you may write it, or choose another store with -Store.", ex);
            case SqliteIoError:
                return new LogToolsException(
                    "StoreIOError", ErrorKind.WriteError, DatabasePath,
                    $"Reading or writing '{DatabasePath}' failed at the operating-system level ({ex.Message}). The unit of work was rolled back; " +
                    "check the disk (space, errors in the system log) and run the command again.", ex);
            default:
                return null;
        }
    }

    private LogToolsException Corrupt(string reason, Exception? inner) => new(
        "StoreCorrupt", ErrorKind.InvalidData, DatabasePath,
        $"The store database '{DatabasePath}' is damaged ({reason}). LogTools refuses to write to it until it is checked. " +
        "Run Test-LogStore to see what is wrong (it lifts the refusal when the check passes); " +
        "otherwise restore the store from a backup made with Backup-LogStore.", inner);

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

    private T WithRetry<T>(Func<T> attempt)
    {
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            try
            {
                return attempt();
            }
            catch (SqliteException ex) when (IsBusy(ex))
            {
                if (clock.Elapsed >= Policy.BusyTimeout)
                {
                    throw new LogToolsException(
                        "StoreBusy", ErrorKind.ResourceBusy, DatabasePath,
                        $"The store database '{DatabasePath}' stayed locked by another process for {Policy.BusyTimeout.TotalSeconds:0} s. " +
                        "Nothing was written; run the command again when the other writer has finished.", ex);
                }

                // Jitter keeps several waiting processes from retrying in lockstep.
                Thread.Sleep(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 10)));
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
            }
            catch (SqliteException ex) when (!IsBusy(ex))
            {
                var failure = Classify(ex);
                if (failure is null)
                {
                    throw;
                }

                throw failure;
            }
        }
    }

    private static bool IsBusy(SqliteException ex) => ex.SqliteErrorCode is SqliteBusy or SqliteLocked;
}
