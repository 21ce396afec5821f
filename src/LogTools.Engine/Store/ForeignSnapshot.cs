using Microsoft.Data.Sqlite;
using SQLitePCLRaw = SQLitePCL.raw;
using Statement = SQLitePCL.sqlite3_stmt;

namespace LogTools.Engine.Store;

/// <summary>
/// Another program's SQLite database (an ingest pipeline's) opened read-only in one read transaction: every statement
/// run on it sees the database as it was at its first read, whatever that program commits meanwhile (in WAL mode
/// without holding up its writers), and one SQL text runs one prepared program each time, so the same rows come in
/// the same order. Values are read in place through SQLite's statement API, for passes over a million rows.
/// </summary>
internal sealed class ForeignSnapshot : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly SqliteTransaction transaction;
    private readonly Dictionary<string, Statement> statements = new(StringComparer.Ordinal);

    /// <remarks>Not checked as <see cref="ForeignDatabase.Query"/> checks the file: it reads a database that was read before.</remarks>
    public ForeignSnapshot(string path, TimeSpan busyTimeout)
    {
        connection = ForeignDatabase.Open(path, busyTimeout);
        transaction = connection.BeginTransaction(deferred: true);
        using var encoding = connection.CreateCommand();
        encoding.CommandText = "PRAGMA encoding";
        Utf8 = string.Equals(encoding.ExecuteScalar() as string, "UTF-8", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the database keeps its text as UTF-8, so a text value's bytes are UTF-8 (<see cref="ForeignRow.Bytes"/>).</summary>
    public bool Utf8 { get; }

    /// <summary>Hands <paramref name="row"/> each row of <paramref name="sql"/> with integer <paramref name="parameters"/> until it returns false.</summary>
    public void ForEach(string sql, IReadOnlyList<(string Name, long Value)> parameters, ForeignRowReader row)
    {
        var db = connection.Handle!;
        if (!statements.TryGetValue(sql, out var statement))
        {
            SqliteStoreDatabase.Check(db, SQLitePCLRaw.sqlite3_prepare_v2(db, sql, out statement));
            statements[sql] = statement;
        }

        try
        {
            foreach (var (name, value) in parameters)
            {
                SqliteStoreDatabase.Check(db, SQLitePCLRaw.sqlite3_bind_int64(statement, SQLitePCLRaw.sqlite3_bind_parameter_index(statement, name), value));
            }

            int result;
            while ((result = SQLitePCLRaw.sqlite3_step(statement)) == SQLitePCLRaw.SQLITE_ROW)
            {
                if (!row(new ForeignRow(statement)))
                {
                    return;
                }
            }

            SqliteStoreDatabase.Check(db, result);
        }
        finally
        {
            SQLitePCLRaw.sqlite3_reset(statement);
        }
    }

    public void Dispose()
    {
        foreach (var statement in statements.Values)
        {
            statement.Dispose();
        }

        transaction.Dispose();
        connection.Dispose();
    }
}
