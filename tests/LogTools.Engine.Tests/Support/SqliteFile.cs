using Microsoft.Data.Sqlite;

namespace LogTools.Engine.Tests.Support;

/// <summary>SQL run on a database file by a connection of its own (unpooled), as another program would: a pipeline's database, or the store read behind the engine's back.</summary>
public static class SqliteFile
{
    public static void Execute(string path, string sql) => Scalar(path, sql);

    public static object? Scalar(string path, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }
}
