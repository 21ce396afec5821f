using System.Security.Cryptography;
using LogTools.Tests.Support;

namespace LogTools.Tests.Store;

public sealed class StoreCmdletTests
{
    [Fact]
    public void GetLogStore_describes_the_new_store_Set_LogStore_created()
    {
        using var session = new ModuleSession();
        var info = session.Run("Get-LogStore").AssertNoErrors().Output.Single();

        Assert.Equal("LogTools.Engine.Store.StoreInfo", info.TypeNames[0]);
        Assert.Equal(session.StorePath, info.Properties["Path"].Value);
        Assert.Equal("Session", info.Properties["Source"].Value.ToString());
        var version = (int)info.Properties["SchemaVersion"].Value;
        Assert.True(version >= 1);
        Assert.Equal(version, (int)info.Properties["LatestSchemaVersion"].Value);
        Assert.Matches(@"^3\.\d+\.\d+$", (string)info.Properties["SqliteVersion"].Value);
        Assert.True(File.Exists(Path.Combine(session.StorePath, "logtools.db")));
        var tables = session.Run("(Get-LogStore).Tables | Where-Object Name -eq 'store_meta' | ForEach-Object Rows").AssertNoErrors();
        Assert.Equal(2L, tables.Objects.Single());
    }

    [Fact]
    public void Store_parameter_overrides_the_session_choice_and_resolves_relative_to_the_location()
    {
        using var session = new ModuleSession();
        var result = session.Run("$ExecutionContext.SessionState.Path.SetLocation($args[0]) | Out-Null; Move-LogRecord -Store ./other -Confirm:$false | Out-Null; Get-LogStore -Store ./other", session.Folder.Path).AssertNoErrors();

        var info = result.Output.Single();
        Assert.Equal(session.Folder.Combine("other"), info.Properties["Path"].Value);
        Assert.Equal("Parameter", info.Properties["Source"].Value.ToString());
    }

    [Fact]
    public void The_session_choice_is_per_runspace()
    {
        using var first = new ModuleSession();
        using var second = new ModuleSession();

        Assert.Equal(first.StorePath, first.Run("(Get-LogStore).Path").Objects.Single());
        Assert.Equal(second.StorePath, second.Run("(Get-LogStore).Path").Objects.Single());
    }

    [Fact]
    public void SetLogStore_WhatIf_creates_nothing_and_keeps_the_previous_choice()
    {
        using var session = new ModuleSession();
        var target = session.Folder.Combine("never");

        session.Run("Set-LogStore -Path $args[0] -WhatIf", target).AssertNoErrors();

        Assert.False(Directory.Exists(target));
        Assert.Equal(session.StorePath, session.Run("(Get-LogStore).Path").Objects.Single());
    }

    [Fact]
    public void SetLogStore_PassThru_returns_the_store_now_in_effect()
    {
        using var session = new ModuleSession();
        var target = session.Folder.Combine("chosen");

        var info = session.Run("Set-LogStore $args[0] -PassThru", target).AssertNoErrors().Output.Single();

        Assert.Equal(target, info.Properties["Path"].Value);
        Assert.True(File.Exists(Path.Combine(target, "logtools.db")));
    }

    [Fact]
    public void A_store_path_that_is_a_file_is_refused_and_the_file_is_untouched()
    {
        using var session = new ModuleSession();
        var file = session.Folder.Combine("a-file");
        File.WriteAllText(file, "keep me");

        var error = session.Run("Get-LogStore -Store $args[0]", file).SingleError();

        Assert.Equal("StorePathIsFile,LogTools.Commands.GetLogStoreCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(file, error.TargetObject);
        Assert.Contains(file, error.Exception.Message);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public void A_database_that_is_not_sqlite_is_refused_byte_for_byte_untouched()
    {
        using var session = new ModuleSession();
        var folder = session.Folder.Combine("notsqlite");
        Directory.CreateDirectory(folder);
        var db = Path.Combine(folder, "logtools.db");
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        File.WriteAllBytes(db, bytes);

        var error = session.Run("Get-LogStore -Store $args[0]", folder).SingleError();

        Assert.Equal("StoreDatabaseInvalid,LogTools.Commands.GetLogStoreCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains(db, error.Exception.Message);
        Assert.Equal(bytes, File.ReadAllBytes(db));
        Assert.Equal(["logtools.db"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_store_from_a_newer_LogTools_is_refused_and_not_altered()
    {
        using var session = new ModuleSession();
        var folder = session.Folder.Combine("newer");
        Directory.CreateDirectory(folder);
        var db = Path.Combine(folder, "logtools.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE future(x); PRAGMA user_version = 9999;";
            command.ExecuteNonQuery();
        }

        var before = File.ReadAllBytes(db);

        var error = session.Run("Get-LogStore -Store $args[0]", folder).SingleError();

        Assert.Equal("StoreSchemaTooNew,LogTools.Commands.GetLogStoreCommand", error.FullyQualifiedErrorId);
        Assert.Contains("9999", error.Exception.Message);
        Assert.Equal(before, File.ReadAllBytes(db));
        Assert.False(File.Exists(db + "-wal"), "the refused store must not be switched to WAL");
    }

    [Fact]
    public void A_store_folder_that_cannot_be_written_is_refused()
    {
        using var session = new ModuleSession();
        // /proc refuses new folders even to root, which chmod cannot give us in a root test run.
        var folder = OperatingSystem.IsWindows() ? @"\\?\NUL\logtools" : "/proc/logtools-store-test";

        var error = session.Run("Move-LogRecord -Store $args[0] -Confirm:$false", folder).SingleError();

        Assert.Equal("StoreNotWritable,LogTools.Commands.MoveLogRecordCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
    }
}
