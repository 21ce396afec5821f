using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LogTools.Engine.Store;

/// <summary>
/// SQLite's <see cref="RowInsert"/>: the statement prepared on the connection's own handle, values bound by index,
/// then step and reset. Microsoft.Data.Sqlite's command costs several µs a row more (a data reader per execution,
/// every parameter looked up by name and bound again), which was half of an import's insert loop.
/// A value equal to the one the parameter holds is not bound again: SQLite keeps bindings across step and reset, and
/// most columns of a bulk insert repeat from row to row (the model, the machine, NULLs), while each bind is a call into
/// native code (the statement handle taken and released, a GC transition): it was 40% of an api_calls row.
/// </summary>
internal sealed class SqliteRowInsert : RowInsert
{
    private readonly sqlite3 db;
    private readonly sqlite3_stmt statement;
    private readonly int[] indexes;
    private byte[] utf8 = new byte[256];

    // What each parameter holds (by position), as far as known: Held.None after a value this class does not compare.
    private readonly Held[] held;
    private readonly long[] numbers;
    private readonly string?[] texts;

    /// <remarks>It runs in whatever transaction the connection is in: the caller's.</remarks>
    public SqliteRowInsert(SqliteConnection connection, string sql, string[] parameters)
    {
        db = connection.Handle!;
        SqliteStoreDatabase.Check(db, raw.sqlite3_prepare_v2(db, sql, out statement));
        // Loops, not LINQ over ints: an insert is prepared in most first commands of a process, where LINQ over a value
        // type is compiled at run time.
        indexes = new int[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            indexes[i] = raw.sqlite3_bind_parameter_index(statement, parameters[i]);
            if (indexes[i] == 0)
            {
                statement.Dispose();
                throw new ArgumentException($"The statement has no parameter {parameters[i]}.", nameof(parameters));
            }

            // Two positions on one parameter would each remember a value only one of them holds.
            for (var j = 0; j < i; j++)
            {
                if (indexes[j] == indexes[i])
                {
                    statement.Dispose();
                    throw new ArgumentException("A parameter is named more than once.", nameof(parameters));
                }
            }
        }

        held = new Held[indexes.Length];
        numbers = new long[indexes.Length];
        texts = new string?[indexes.Length];
    }

    private enum Held
    {
        None,
        Null,
        Integer,
        Real,
        Text,
    }

    // Every value of every bulk-inserted row runs these: compiled fully optimised at its first call
    // (AggressiveOptimization), not run as ReadyToRun code and then through tiering, which a fresh process's first
    // import never finishes (docs/performance.md, issue 16.1).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Integer(int index, long value)
    {
        if (held[index] != Held.Integer || numbers[index] != value)
        {
            Bound(index, raw.sqlite3_bind_int64(statement, indexes[index], value), Held.Integer);
            numbers[index] = value;
        }
    }

    /// <remarks>Compared by bits: 0.0 and -0.0 are different values to keep.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Real(int index, double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        if (held[index] != Held.Real || numbers[index] != bits)
        {
            Bound(index, raw.sqlite3_bind_double(statement, indexes[index], value), Held.Real);
            numbers[index] = bits;
        }
    }

    /// <remarks>Encoded into one reused buffer; SQLite copies the bytes (SQLITE_TRANSIENT).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Text(int index, string? value)
    {
        if (value is null)
        {
            Null(index);
            return;
        }

        if (held[index] == Held.Text && string.Equals(texts[index], value, StringComparison.Ordinal))
        {
            return;
        }

        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (most > utf8.Length)
        {
            utf8 = new byte[Math.Max(most, utf8.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, utf8);
        Bound(index, raw.sqlite3_bind_text(statement, indexes[index], utf8.AsSpan(0, length)), Held.Text);
        texts[index] = value;
    }

    /// <remarks>SQLite copies the bytes (SQLITE_TRANSIENT). Not compared with the value held: always bound.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Utf8(int index, ReadOnlySpan<byte> value) => Bound(index, raw.sqlite3_bind_text(statement, indexes[index], value), Held.None);

    public override void Blob(int index, ReadOnlySpan<byte> value) => Bound(index, raw.sqlite3_bind_blob(statement, indexes[index], value), Held.None);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Null(int index)
    {
        if (held[index] != Held.Null)
        {
            Bound(index, raw.sqlite3_bind_null(statement, indexes[index]), Held.Null);
        }
    }

    /// <summary>Records what parameter <paramref name="index"/> holds once SQLite took it; after a failed bind, nothing is known.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Bound(int index, int result, Held now)
    {
        held[index] = Held.None;
        SqliteStoreDatabase.Check(db, result);
        held[index] = now;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
