using System.Management.Automation;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace LogTools.Benchmarks;

/// <summary>
/// Read-SqliteFloor: the least a command that reads a SQLite store does, for <see cref="FirstCallBenchmark"/>'s floor:
/// open the database read-only with Microsoft.Data.Sqlite and count its schema's rows. The benchmark loads the
/// module's own ReadyToRun copies of Microsoft.Data.Sqlite and SQLitePCLRaw before the timed call (so their loading
/// is not counted, which only lowers this floor); the first call binds native SQLite (<see cref="NativeLibrary"/>,
/// the module's), which every first call of a LogTools command that reads the store does too.
/// </summary>
[Cmdlet(VerbsCommunications.Read, "SqliteFloor")]
[OutputType(typeof(long))]
public sealed class ReadSqliteFloorCommand : PSCmdlet
{
    private static bool bound;

    [Parameter(Mandatory = true, Position = 0)]
    public string Database { get; set; } = string.Empty;

    /// <summary>The module's libe_sqlite3 for this platform.</summary>
    [Parameter(Mandatory = true)]
    public string NativeLibrary { get; set; } = string.Empty;

    protected override void EndProcessing()
    {
        if (!bound)
        {
            var native = NativeLibrary;
            System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(
                typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly,
                (name, _, _) => name == "e_sqlite3" ? System.Runtime.InteropServices.NativeLibrary.Load(native) : IntPtr.Zero);
            SQLitePCL.Batteries_V2.Init();
            bound = true;
        }

        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master";
        WriteObject((long)command.ExecuteScalar()!);
    }

    /// <summary>The script lines that load the module's ReadyToRun copies of the SQLite libraries into pwsh's default context.</summary>
    internal static string LoadModuleCopies(string moduleFolder)
    {
        var images = Path.Combine(moduleFolder, "Dependencies", "readytorun");
        var folder = Directory.Exists(images) ? Directory.GetDirectories(images).Single() : Path.Combine(moduleFolder, "Dependencies");
        return string.Join('\n', new[] { "SQLitePCLRaw.core", "SQLitePCLRaw.provider.e_sqlite3", "SQLitePCLRaw.batteries_v2", "Microsoft.Data.Sqlite" }
            .Select(name => $"$null = [Reflection.Assembly]::LoadFrom('{Path.Combine(folder, name + ".dll")}')"));
    }

    /// <summary>The module's native SQLite for this machine.</summary>
    internal static string NativePath(string moduleFolder) =>
        Path.Combine(moduleFolder, "Dependencies", "runtimes", RuntimeInformation.RuntimeIdentifier, "native",
            OperatingSystem.IsWindows() ? "e_sqlite3.dll" : OperatingSystem.IsMacOS() ? "libe_sqlite3.dylib" : "libe_sqlite3.so");
}
