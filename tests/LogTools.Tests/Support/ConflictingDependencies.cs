using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace LogTools.Tests.Support;

/// <summary>
/// Loads other versions of the engine's dependencies (Microsoft.Data.Sqlite 6, SQLitePCLRaw 2.0 with
/// its older native SQLite, YamlDotNet 16) into the default load context before any module test runs, as another
/// module such as SimplySql would. Every module test therefore also proves that LogTools is isolated.
/// </summary>
public static class ConflictingDependencies
{
    /// <summary>The SQLite version the other module sees.</summary>
    public static string SqliteVersion { get; private set; } = string.Empty;

    [ModuleInitializer]
    public static void Load()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        SqliteVersion = (string)command.ExecuteScalar()!;
        _ = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, string>>("a: b");
    }
}
