using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;

namespace LogTools.Engine.Store;

/// <summary>
/// An INSERT prepared once and run row after row, its values set by position (the order its parameters were named
/// in): the bulk-insert seam of the backends (<see cref="StoreDatabase.PrepareInsert"/>). This one, every backend's
/// unless it has a cheaper way, is a command with typed parameters; SQLite's binds its statement directly
/// (<see cref="SqliteRowInsert"/>). A value stays set for the next row until it is set again.
/// </summary>
internal class RowInsert : IDisposable
{
    private readonly DbCommand? command;
    private readonly DbParameter[] parameters = [];

    /// <param name="parameters">The statement's parameters as its text names them (<c>$name</c>), typed so that it can be prepared before the first values.</param>
    public RowInsert(DbConnection connection, DbTransaction transaction, string sql, (string Name, DbType Type)[] parameters)
    {
        command = Sql.Command(connection, transaction, sql, []);
        this.parameters = parameters.Select(p => Sql.Parameter(command, p.Name, p.Type)).ToArray();
        command.Prepare();
    }

    private protected RowInsert()
    {
    }

    public virtual void Integer(int index, long value) => parameters[index].Value = value;

    public virtual void Real(int index, double value) => parameters[index].Value = value;

    /// <summary>A text value; null is SQL NULL.</summary>
    public virtual void Text(int index, string? value) => parameters[index].Value = (object?)value ?? DBNull.Value;

    public virtual void Null(int index) => parameters[index].Value = DBNull.Value;

    /// <summary>A text value given as its UTF-8 bytes.</summary>
    public virtual void Utf8(int index, ReadOnlySpan<byte> value) => Text(index, System.Text.Encoding.UTF8.GetString(value));

    public virtual void Blob(int index, ReadOnlySpan<byte> value) => parameters[index].Value = value.ToArray();

    // Every value of every bulk-inserted row runs these: compiled fully optimised at its first call
    // (AggressiveOptimization), not run as ReadyToRun code and then through tiering, which a fresh process's first
    // import never finishes (docs/performance.md, issue 16.1).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Integer(int index, long? value)
    {
        if (value is { } known)
        {
            Integer(index, known);
        }
        else
        {
            Null(index);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Real(int index, double? value)
    {
        if (value is { } known)
        {
            Real(index, known);
        }
        else
        {
            Null(index);
        }
    }

    /// <summary>Runs the statement with the values set; whether it stored a row (false: ON CONFLICT … DO NOTHING skipped it).</summary>
    public virtual bool Run() => command!.ExecuteNonQuery() == 1;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) => command?.Dispose();
}
