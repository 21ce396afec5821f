using System.Diagnostics;
using LogTools.Tests.Support;

namespace LogTools.Tests.Host;

/// <summary>The logtools host as cron or CI runs it: a separate process that loads out/LogTools as pwsh would.</summary>
public sealed class HostTests
{
    [Fact]
    public void Output_is_rendered_with_the_module_views_and_native_sqlite_loads_from_the_module_folder()
    {
        using var temp = new TempFolder();
        var run = HostRun.Command("Move-LogRecord -Confirm:$false | Out-Null; Get-LogStore; (Get-LogStore).Tables | Out-Default", new Dictionary<string, string> { ["LOGTOOLS_STORE"] = temp.Path });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"Path          : {temp.Path}", run.Stdout);
        Assert.Contains("Source        : Environment ($env:LOGTOOLS_STORE)", run.Stdout);
        Assert.Matches(@"SqliteVersion : 3\.\d+\.\d+", run.Stdout);
        Assert.Matches(@"Name\s+Rows\r?\n----\s+----", run.Stdout); // the table view of StoreTableInfo
        Assert.DoesNotContain("\e[", run.Stdout); // redirected output carries no colour codes
        Assert.Equal(string.Empty, run.Stderr);
    }

    [Fact]
    public void A_failing_command_exits_1_with_the_error_and_its_id_on_stderr()
    {
        using var temp = new TempFolder();
        var file = temp.Combine("file");
        File.WriteAllText(file, "x");

        var run = HostRun.Command($"Get-LogStore -Store '{file}'; 'went on'");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"Get-LogStore: The store path '{file}' is a file", run.Stderr);
        Assert.Contains("[StorePathIsFile,LogTools.Commands.GetLogStoreCommand]", run.Stderr);
        Assert.Equal("went on", run.Stdout.Trim()); // statement-terminating, as in pwsh: the script goes on
    }

    [Fact]
    public void Exit_in_a_command_sets_the_exit_code()
    {
        Assert.Equal(7, HostRun.Command("'before'; exit 7").ExitCode);
        Assert.Equal(0, HostRun.Command("'ok'").ExitCode);
    }

    [Fact]
    public void A_script_file_gets_named_and_positional_arguments_and_its_exit_code()
    {
        using var temp = new TempFolder();
        var script = temp.Combine("job.ps1");
        File.WriteAllText(script, """
            param([string]$Name, [switch]$Loud, [string]$Rest)
            "name=$Name loud=$Loud rest=$Rest"
            exit 4
            """);

        var run = HostRun.Start(["-File", script, "-Name", "a b; 'injected'", "-Loud", "tail"]);

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("name=a b; 'injected' loud=True rest=tail", run.Stdout.Trim());
    }

    [Fact]
    public void Warnings_and_verbose_go_to_stderr_with_their_prefixes()
    {
        using var temp = new TempFolder();
        var run = HostRun.Command(
            "function Test-It { [CmdletBinding()] param() $PSCmdlet.WriteWarning('careful') }; Test-It; Move-LogRecord -Confirm:$false | Out-Null; Get-LogStore -Verbose | Out-Null",
            new Dictionary<string, string> { ["LOGTOOLS_STORE"] = temp.Path });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("WARNING: careful", run.Stderr);
        Assert.Contains($"VERBOSE: Store: {temp.Path}", run.Stderr);
        Assert.Equal(string.Empty, run.Stdout.Trim());
    }

    [Fact]
    public void Progress_is_drawn_on_a_terminal()
    {
        if (!File.Exists("/usr/bin/script"))
        {
            Assert.Fail("util-linux 'script' is needed to give logtools a terminal");
        }

        using var temp = new TempFolder();
        var job = temp.Combine("progress.ps1");
        File.WriteAllText(job, """
            function Copy-Thing {
                [CmdletBinding()] param()
                $record = [System.Management.Automation.ProgressRecord]::new(1, 'Copying', 'half done')
                $record.PercentComplete = 50
                $PSCmdlet.WriteProgress($record)
            }
            Copy-Thing
            """);

        // script(1) runs logtools on a pseudo-terminal, as an interactive admin would see it.
        var info = new ProcessStartInfo("/usr/bin/script", ["-qec", $"'{Repo.Host}' -File '{job}'", "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Contains("Copying: half done [50%]", output);
    }

    [Fact]
    public void Bad_arguments_and_a_missing_module_exit_2()
    {
        var unknown = HostRun.Start(["-Bogus"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Unknown argument '-Bogus'", unknown.Stderr);

        var missing = HostRun.Start(["-Module", "/no/such/LogTools.psd1", "-Command", "1"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("module was not found", missing.Stderr);
    }

    [Fact]
    public void The_README_main_job_runs_on_the_default_store()
    {
        using var temp = new TempFolder();
        var run = HostRun.Start(
            ["-File", Path.Combine(Repo.Root, "docs", "examples", "demo.ps1")],
            new Dictionary<string, string> { ["XDG_DATA_HOME"] = temp.Path, ["XDG_CONFIG_HOME"] = temp.Combine("config"), ["LOGTOOLS_STORE"] = string.Empty });

        Assert.True(run.ExitCode == 0 && run.Stderr.Length == 0, run.ToString());
        Assert.Contains("Source        : Default (per-user data folder)", run.Stdout);
        Assert.Matches(@"demo-\d{6}\s+Completed\s+450\s+451", run.Stdout);
        Assert.Contains("assistant Done: see PR 451", run.Stdout);
        Assert.True(File.Exists(Path.Combine(temp.Path, "LogTools", "logtools.db")));
    }
}
