using System.Management.Automation;
using Microsoft.Data.Sqlite;

namespace LogTools.Tests.Sessions;

/// <summary>Direct SQL on a test store, for what the cmdlets under test do not write (api_calls) and for row counts.</summary>
internal static class TelemetryStore
{
    public static object? Prop(PSObject item, string name) => item.Properties[name].Value;

    public static long Count(string storePath, string table) => (long)Scalar(storePath, $"SELECT count(*) FROM {table}")!;

    public static object? Scalar(string storePath, string sql)
    {
        using var connection = Open(storePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void AddApiCall(string storePath, string workerId, long tokensInput, long tokensOutput)
    {
        using var connection = Open(storePath);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO api_calls (worker_id, timestamp, model, tokens_input, tokens_output, tokens_total, machine)
            VALUES ($worker, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'test-model', $in, $out, $in + $out, 'test')
            """;
        command.Parameters.AddWithValue("$worker", workerId);
        command.Parameters.AddWithValue("$in", tokensInput);
        command.Parameters.AddWithValue("$out", tokensOutput);
        command.ExecuteNonQuery();
    }

    private static SqliteConnection Open(string storePath)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(storePath, "logtools.db")};Pooling=False");
        connection.Open();
        return connection;
    }
}
