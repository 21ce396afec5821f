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
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private readonly string connectionString;

    public StoreDatabase(string databasePath, StorePolicy? policy = null)
    {
        DatabasePath = databasePath;
        Policy = policy ?? StorePolicy.Default;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(Policy.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    public string DatabasePath { get; }

    public StorePolicy Policy { get; }

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
        }
    }

    private static bool IsBusy(SqliteException ex) => ex.SqliteErrorCode is SqliteBusy or SqliteLocked;
}
