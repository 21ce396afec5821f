using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LogTools.Engine.Store;

/// <summary>
/// SQLite's <see cref="RowInsert"/>: the statement prepared on the connection's own handle, values bound by index,
/// then step and reset. Microsoft.Data.Sqlite's command costs several µs a row more (a data reader per execution,
/// every parameter looked up by name and bound again), which was half of an import's insert loop.
/// </summary>
internal sealed class SqliteRowInsert : RowInsert
{
    private readonly sqlite3 db;
    private readonly sqlite3_stmt statement;
    private readonly int[] indexes;
    private byte[] utf8 = new byte[256];

    /// <remarks>It runs in whatever transaction the connection is in: the caller's.</remarks>
    public SqliteRowInsert(SqliteConnection connection, string sql, IReadOnlyList<string> parameters)
    {
        db = connection.Handle!;
        SqliteStoreDatabase.Check(db, raw.sqlite3_prepare_v2(db, sql, out statement));
        indexes = parameters.Select(name => raw.sqlite3_bind_parameter_index(statement, name)).ToArray();
        if (Array.IndexOf(indexes, 0) is var missing and >= 0)
        {
            statement.Dispose();
            throw new ArgumentException($"The statement has no parameter {parameters[missing]}.", nameof(parameters));
        }
    }

    public override void Integer(int index, long value) => SqliteStoreDatabase.Check(db, raw.sqlite3_bind_int64(statement, indexes[index], value));

    public override void Real(int index, double value) => SqliteStoreDatabase.Check(db, raw.sqlite3_bind_double(statement, indexes[index], value));

    /// <remarks>Encoded into one reused buffer; SQLite copies the bytes (SQLITE_TRANSIENT).</remarks>
    public override void Text(int index, string? value)
    {
        if (value is null)
        {
            Null(index);
            return;
        }

        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (most > utf8.Length)
        {
            utf8 = new byte[Math.Max(most, utf8.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, utf8);
        Utf8(index, utf8.AsSpan(0, length));
    }

    /// <remarks>SQLite copies the bytes (SQLITE_TRANSIENT).</remarks>
    public override void Utf8(int index, ReadOnlySpan<byte> value) => SqliteStoreDatabase.Check(db, raw.sqlite3_bind_text(statement, indexes[index], value));

    public override void Blob(int index, ReadOnlySpan<byte> value) => SqliteStoreDatabase.Check(db, raw.sqlite3_bind_blob(statement, indexes[index], value));

    public override void Null(int index) => SqliteStoreDatabase.Check(db, raw.sqlite3_bind_null(statement, indexes[index]));

    public override bool Run()
    {
        var result = raw.sqlite3_step(statement);
        // changes() is the count of the statement just completed: 0 when ON CONFLICT skipped the row.
        var stored = result == raw.SQLITE_DONE && raw.sqlite3_changes(db) == 1;
        try
        {
            SqliteStoreDatabase.Check(db, result);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }

        return stored;
    }

    protected override void Dispose(bool disposing) => statement.Dispose();
}
