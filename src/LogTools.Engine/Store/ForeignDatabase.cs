using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace LogTools.Engine.Store;

/// <summary>
/// Reads another program's SQLite database (an ingest pipeline's) without changing it or holding it up: opened
/// read-only and unpooled, so no write, no journal-mode change and no file handle stays behind. In WAL mode a reader
/// never blocks the program's writers; a database it has locked exclusively (rollback journal) is waited for briefly,
/// then reported.
/// </summary>
public static class ForeignDatabase
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteNotADatabase = 26;
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <summary>Runs <paramref name="query"/>: <paramref name="columns"/> gets the result's column names once, then <paramref name="row"/> each row.</summary>
    /// <exception cref="LogToolsException">DatabaseNotFound, DatabaseNotSqlite, DatabaseLocked or DatabaseQueryInvalid.</exception>
    public static void Query(string path, string query, TimeSpan busyTimeout, Action<IReadOnlyList<string>> columns, Action<DbDataReader> row)
    {
        RequireSqliteFile(path);
        try
        {
            using var connection = Open(path, busyTimeout);
            using var command = connection.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            columns([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)]);
            while (reader.Read())
            {
                row(reader);
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
        {
            throw new LogToolsException(
                "DatabaseLocked", ErrorKind.ResourceBusy, path,
                $"The database '{path}' stayed locked by another program for {busyTimeout.TotalSeconds:0.#} s ({ex.Message}). " +
                "Run the command again when its writer is idle, or switch that database to WAL mode (PRAGMA journal_mode = WAL), where readers never wait. Nothing was changed.", ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteNotADatabase)
        {
            throw NotSqlite(path, ex);
        }
        catch (SqliteException ex)
        {
            throw new LogToolsException(
                "DatabaseQueryInvalid", ErrorKind.InvalidArgument, query,
                $"SQLite refused the query on '{path}': {ex.Message}. The query was: {query}. Correct the query; nothing was changed.", ex);
        }
    }

    /// <summary>The database opened read-only and unpooled, with <paramref name="busyTimeout"/> for its locks; SQLite's errors go up as they are.</summary>
    internal static SqliteConnection Open(string path, TimeSpan busyTimeout)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        }.ToString());
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA query_only = ON;";
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void RequireSqliteFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new LogToolsException(
                "DatabaseNotFound", ErrorKind.ObjectNotFound, path,
                $"There is no database file '{path}'. Check the path given to -Database. Nothing was changed.");
        }

        Span<byte> header = stackalloc byte[SqliteHeader.Length];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.SequenceEqual(SqliteHeader))
        {
            throw NotSqlite(path, null);
        }
    }

    private static LogToolsException NotSqlite(string path, Exception? inner) => new(
        "DatabaseNotSqlite", ErrorKind.InvalidData, path,
        $"'{path}' is not an SQLite database (its first bytes are not SQLite's header). Give -Database the pipeline's SQLite file. Nothing was changed.", inner);
}
