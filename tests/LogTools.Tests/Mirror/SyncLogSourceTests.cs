using System.Diagnostics;
using LogTools.Tests.Support;

namespace LogTools.Tests.Mirror;

public sealed class SyncLogSourceTests
{
    [Fact]
    public void Configs_come_through_the_pipeline_and_Test_LogMirror_writes_a_manifest_b3sum_accepts()
    {
        using var session = new ModuleSession();
        var random = new Random(1);
        var host = new MirrorHost(session.Folder.Path);
        File.WriteAllBytes(host.File("app-2025-10-20T08-18-50.905.json"), MirrorHost.Lines(random, 0, 5000));
        host.Append("app.json", MirrorHost.Lines(random, 100, 300));
        var other = Path.Combine(session.Folder.Path, "other.yml");
        File.WriteAllText(other, "name: other\narchived_pattern: host/none-*.json\nactive_pattern: host/app-2025-10-20T08-18-50.905.json\npond_path: logs/other\n");

        var results = session.Run("[System.IO.FileInfo[]]$args | Sync-LogSource", new[] { host.ConfigPath, other }).AssertNoErrors().Output;

        Assert.Equal(3, results.Count);
        Assert.Equal("LogTools.Engine.Mirror.MirrorResult", results[0].TypeNames[0]);
        Assert.Equal(["app", "app", "other"], results.Select(r => (string)r.Properties["Source"].Value));
        Assert.All(results, r => Assert.Equal("Copied", r.Properties["Action"].Value.ToString()));

        var manifest = session.Folder.Combine("pond.b3");
        var checks = session.Run("Test-LogMirror -IncludeHost -ManifestPath $args[0]", manifest).AssertNoErrors().Output;
        Assert.Equal(3, checks.Count);
        Assert.All(checks, c => Assert.Equal("Ok", c.Properties["Status"].Value.ToString()));
        var b3sum = Process.Start(new ProcessStartInfo("b3sum", ["--check", manifest]) { RedirectStandardOutput = true })!;
        var output = b3sum.StandardOutput.ReadToEnd();
        b3sum.WaitForExit();
        Assert.True(b3sum.ExitCode == 0, output);
        Assert.Equal(3, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith(": OK", StringComparison.Ordinal)));

        // A damaged pond copy is found by both.
        var pondFile = Path.Combine(session.StorePath, "pond", "logs", "app", "app.json");
        var bytes = File.ReadAllBytes(pondFile);
        bytes[10] ^= 1;
        File.WriteAllBytes(pondFile, bytes);
        var damaged = session.Run("Test-LogMirror -Source app -Name app.json");
        Assert.Equal("PondMismatch", damaged.Output.Single().Properties["Status"].Value.ToString());
        Assert.Single(damaged.Warnings);
        b3sum = Process.Start(new ProcessStartInfo("b3sum", ["--check", manifest]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        b3sum.WaitForExit();
        Assert.Equal(1, b3sum.ExitCode);
    }

    [Fact]
    public void WhatIf_writes_no_result_rows_and_nothing_not_even_the_store()
    {
        using var session = new ModuleSession(chooseStore: false);
        var host = new MirrorHost(session.Folder.Path);
        host.Append("app.json", MirrorHost.Lines(new Random(2), 0, 100));
        var store = session.Folder.Combine("never");

        var plan = session.Run(
            "Sync-LogSource -Source app -ArchivedPattern $args[0] -ActivePattern $args[1] -PondPath logs/app -Store $args[2] -WhatIf",
            host.File("app-*.json"), host.File("app.json"), store).AssertNoErrors();

        // The plan is the What if: lines (tests/Pester/Mirror.Tests.ps1 reads them); a plan is not a result.
        Assert.Empty(plan.Output);
        Assert.False(Directory.Exists(store));
    }

    [Fact]
    public void Bad_configurations_are_ErrorRecords_naming_file_line_and_key_and_the_other_configs_go_on()
    {
        using var session = new ModuleSession();
        var host = new MirrorHost(session.Folder.Path);
        host.Append("app.json", [1, 2, 3]);
        var bad = session.Folder.Combine("bad.yml");
        File.WriteAllText(bad, "name: x\narchived_pattern: /x/a-*.json\nactive_pattern: /x/a.json\npond_path: ../../etc\n");

        var result = session.Run("Sync-LogSource -Config $args[0], $args[1]", bad, host.ConfigPath);

        var error = result.SingleError();
        Assert.Equal("MirrorPondPathEscapes,LogTools.Commands.SyncLogSourceCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(bad, error.TargetObject);
        Assert.Contains("line 4, key 'pond_path'", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("app", result.Output.Single().Properties["Source"].Value);
    }
}
