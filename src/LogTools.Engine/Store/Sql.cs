using System.Data;
using System.Data.Common;

namespace LogTools.Engine.Store;

/// <summary>
/// Small helpers over System.Data.Common so every area's SQL reads as SQL: commands with named parameters (null as SQL NULL),
/// scalars, rows. Every command is made here, so the text written in SQLite's spelling reaches each backend in its own
/// (<see cref="SqlDialect"/>).
/// </summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string text, (string Name, object? Value)[] parameters)
    {
        var dialect = SqlDialect.Of(connection);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = dialect.Translate(text);
        foreach (var (name, value) in parameters)
        {
            Parameter(command, name).Value = value ?? DBNull.Value;
        }

        return command;
    }

    /// <summary>Adds a parameter named as the SQL text names it (<c>$name</c>), for a command that is run many times with new values.</summary>
    public static DbParameter Parameter(DbCommand command, string name, DbType? type = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = SqlDialect.Of(command.Connection!).ParameterName(name);
        if (type is { } known)
        {
            parameter.DbType = known;
        }

        command.Parameters.Add(parameter);
        return parameter;
    }

    public static int Execute(DbConnection connection, DbTransaction? transaction, string text, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, text, parameters);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(DbConnection connection, DbTransaction? transaction, string text, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, text, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Maps each row as it is read and hands it on at once.</summary>
    public static void Query<T>(
        DbConnection connection, DbTransaction? transaction, string text, (string Name, object? Value)[] parameters, Func<DbDataReader, T> map, Action<T> sink) =>
        ForEach(connection, transaction, text, parameters, reader => sink(map(reader)));

    /// <summary>Calls <paramref name="row"/> with the reader positioned on each row in turn.</summary>
    /// <param name="prepare">
    /// Prepares the statement first: for a statement every report or open runs, whose parsed and planned form a server then
    /// keeps with the pooled connection (Npgsql prepares a text once per connection), and whose results it sends binary
    /// without describing them again. Only for a fixed column list: a prepared SELECT * would fail once its table changes.
    /// </param>
    /// <param name="cancellationToken">
    /// A stop cancels the statement where it runs: a statement that takes long before its rows (an integrity check)
    /// ends, and a PostgreSQL reader closed part-way (by a stop thrown from <paramref name="row"/>) does not first read
    /// every row the server still sends. The statement's end by the stop, whatever the backend reports it as, is an
    /// <see cref="OperationCanceledException"/>.
    /// </param>
    public static void ForEach(
        DbConnection connection, DbTransaction? transaction, string text, (string Name, object? Value)[] parameters, Action<DbDataReader> row,
        bool prepare = false, CancellationToken cancellationToken = default)
    {
        using var command = Command(connection, transaction, text, parameters);
        if (prepare)
        {
            command.Prepare();
        }

        try
        {
            // Registered before the statement starts: SQLite runs all of a statement without rows (a count, an
            // integrity check) in its first step, inside ExecuteReader.
            using var stop = cancellationToken.Register(() => SqlDialect.Of(connection).Cancel(command));
            cancellationToken.ThrowIfCancellationRequested();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                row(reader);
            }
        }
        catch (DbException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public static (string Name, object? Value) P(string name, object? value) => (name, value);

    /// <summary>
    /// "ON CONFLICT (keys) DO UPDATE SET" every other of <paramref name="columns"/> to the new row's value: an insert
    /// that replaces the row with the same keys, spelt the same for SQLite and PostgreSQL (INSERT OR REPLACE is SQLite's).
    /// </summary>
    public static string ReplaceOnConflict(string keys, string columns)
    {
        var keyNames = keys.Split(',', StringSplitOptions.TrimEntries);
        var others = columns.Split(',', StringSplitOptions.TrimEntries).Where(c => !keyNames.Contains(c)).Select(c => $"{c} = excluded.{c}");
        return $"ON CONFLICT ({keys}) DO UPDATE SET {string.Join(", ", others)}";
    }

    public static string? Text(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    public static long? Integer(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);

    public static DateTimeOffset? Time(DbDataReader reader, int column) => StoreTime.ParseOrNull(Text(reader, column));

    public static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    public static TEnum EnumValue<TEnum>(string text)
        where TEnum : struct, Enum => System.Enum.Parse<TEnum>(text, ignoreCase: true);
}
