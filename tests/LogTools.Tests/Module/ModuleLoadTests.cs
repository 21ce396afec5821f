using System.Runtime.Loader;
using LogTools.Tests.Support;

namespace LogTools.Tests.Module;

public sealed class ModuleLoadTests
{
    private static readonly string[] ExpectedCmdlets = [
        "Get-LogStore", "Set-LogStore", "Test-LogStore", "Backup-LogStore", "Copy-LogStore", "Get-FileBlake3",
        "Start-LogSession", "Stop-LogSession", "Get-LogSession", "Set-LogTask", "Get-LogTask", "Set-LogWorker", "Get-LogWorker",
        "Write-LogEvent", "Get-LogEvent", "Get-LogContent",
        "Sync-LogSource", "Test-LogMirror", "Get-LogMirror",
        "Add-ApiCall", "Get-ApiCost", "Get-ApiPrice", "Test-ApiBudget", "Move-LogRecord", "Import-LogHistory",
        "Start-LogRun", "Write-RunEvent", "Complete-LogRun", "Get-LogRun", "Get-RunEvent", "Test-LogRun", "Compress-LogRun", "Remove-LogRun",
        "Write-IngestLog", "Start-IngestPhase", "Complete-IngestPhase", "Build-IngestBlock", "Get-IngestBlock", "Get-IngestLog", "Get-IngestError",
        "Test-IngestBlock", "Get-IngestProof", "Test-IngestProof",
        "Invoke-PortBuild", "Get-PortBuild", "Get-PortPackage", "Get-PortStatus",
        "Start-LogServer", "Stop-LogServer", "Get-LogServer",
    ];

    [Fact]
    public void The_module_exports_exactly_its_cmdlets_at_the_manifest_version()
    {
        using var session = new ModuleSession(chooseStore: false);

        var names = session.Run("(Get-Module LogTools).ExportedCmdlets.Keys").AssertNoErrors().Objects.Cast<string>().Order();
        Assert.Equal(ExpectedCmdlets.Order(), names);
        var version = session.Run("(Get-Module LogTools).Version.ToString()").Objects.Single();
        var assembly = session.Run("[LogTools.Display].Assembly.GetName().Version.ToString(3)").AssertNoErrors().Objects.Single();
        Assert.Equal(version, assembly);
    }

    [Fact]
    public void The_engine_and_its_dependencies_load_in_a_private_context_beside_other_versions()
    {
        using var session = new ModuleSession();

        // The test process loaded Microsoft.Data.Sqlite 6, SQLitePCLRaw 2.0 and an older native SQLite first (ConflictingDependencies).
        var theirs = AssemblyLoadContext.Default.Assemblies.Single(a => a.GetName().Name == "Microsoft.Data.Sqlite");
        Assert.Equal(6, theirs.GetName().Version!.Major);
        Assert.Contains(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "YamlDotNet" && a.GetName().Version!.Major == 16);

        var ours = session.Run("""
            Get-LogStore | Out-Null
            $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'LogTools.Engine' }
            $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine)
            $context.Name
            ($context.Assemblies | Where-Object { $_.GetName().Name -eq 'Microsoft.Data.Sqlite' }).GetName().Version.Major
            ($context.Assemblies | Where-Object { $_.GetName().Name -eq 'Microsoft.Data.Sqlite' }).Location
            (Get-LogStore).SqliteVersion
            """).AssertNoErrors().Objects.ToList();

        Assert.Equal("LogTools.Engine", ours[0]);
        Assert.Equal(10, ours[1]);
        Assert.StartsWith(Path.Combine(Repo.ModuleFolder, "Dependencies"), (string)ours[2]);
        // Two different SQLite libraries live side by side: the other module's and ours.
        Assert.NotEqual(ConflictingDependencies.SqliteVersion, ours[3]);
    }

    [Fact]
    public void The_module_folder_carries_native_sqlite_for_every_shipped_platform()
    {
        var native = Path.Combine(Repo.ModuleFolder, "Dependencies", "runtimes");
        Assert.True(File.Exists(Path.Combine(native, "linux-x64", "native", "libe_sqlite3.so")));
        Assert.True(File.Exists(Path.Combine(native, "linux-arm64", "native", "libe_sqlite3.so")));
        Assert.True(File.Exists(Path.Combine(native, "win-x64", "native", "e_sqlite3.dll")));
        Assert.True(File.Exists(Path.Combine(native, "osx-x64", "native", "libe_sqlite3.dylib")));
        Assert.True(File.Exists(Path.Combine(native, "osx-arm64", "native", "libe_sqlite3.dylib")));
        Assert.Empty(Directory.GetFiles(Repo.ModuleFolder, "*.deps.json", SearchOption.AllDirectories));
    }

    [Fact]
    public void Every_output_type_has_a_default_view()
    {
        using var session = new ModuleSession(chooseStore: false);
        var outputs = session.Run("(Get-Module LogTools).ExportedCmdlets.Values | ForEach-Object { $_.OutputType.Name }")
            .AssertNoErrors().Objects.Cast<string>().Where(n => n.StartsWith("LogTools.", StringComparison.Ordinal)).Distinct().ToList();
        var views = System.Xml.Linq.XDocument.Load(Path.Combine(Repo.ModuleFolder, "LogTools.Format.ps1xml"))
            .Descendants("TypeName").Select(t => t.Value).ToHashSet();

        Assert.NotEmpty(outputs);
        Assert.All(outputs, type => Assert.True(views.Contains(type), $"{type} has no view in LogTools.Format.ps1xml"));
    }
}
