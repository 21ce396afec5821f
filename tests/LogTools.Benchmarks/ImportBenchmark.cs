using System.Diagnostics;
using System.Globalization;
using LogTools.Tests.Support;

namespace LogTools.Benchmarks;

/// <summary>
/// Import-Module time of out/LogTools in a fresh runspace: cold (first import in a new pwsh
/// process) and warm (a second fresh runspace in the same process), plus the first store command,
/// which is where the engine, SQLite and the store are loaded (import itself does no work).
/// </summary>
public sealed class ImportBenchmark : IBenchmark
{
    public string Name => "import";

    public int Run(string[] args)
    {
        var samples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var store = Path.Combine(Path.GetTempPath(), "logtools-bench-import-" + Environment.ProcessId);
        var script = $$"""
            $sw = [Diagnostics.Stopwatch]::StartNew()
            Import-Module '{{Repo.ModuleManifest}}'
            $cold = $sw.Elapsed.TotalMilliseconds
            $sw.Restart(); Get-LogStore -Store '{{store}}' | Out-Null; $first = $sw.Elapsed.TotalMilliseconds
            $ps = [powershell]::Create([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
            $sw.Restart(); $ps.AddScript("Import-Module '{{Repo.ModuleManifest}}'").Invoke() | Out-Null; $warm = $sw.Elapsed.TotalMilliseconds
            '{0:F1} {1:F1} {2:F1}' -f $cold, $warm, $first
            """;
        var cold = new List<double>();
        var warm = new List<double>();
        var first = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var info = Pwsh.StartInfo(["-Command", script]);
            using var process = Process.Start(info)!;
            process.StandardInput.Close();
            var parts = process.StandardOutput.ReadToEnd().Trim().Split(' ');
            process.WaitForExit();
            cold.Add(double.Parse(parts[0], CultureInfo.InvariantCulture));
            warm.Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
            first.Add(double.Parse(parts[2], CultureInfo.InvariantCulture));
        }

        // Get-LogStore only reads: it creates no store, so there may be nothing to delete.
        if (Directory.Exists(store))
        {
            Directory.Delete(store, recursive: true);
        }

        Console.WriteLine($"Import-Module LogTools, {samples} fresh processes (median, min-max):");
        Console.WriteLine();
        Console.WriteLine("| measurement | median ms | min ms | max ms | target |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        Row("Import-Module, cold (first in the process)", cold, "< 300 ms");
        Row("Import-Module, warm (another fresh runspace)", warm, "< 300 ms");
        Row("first Get-LogStore after import (loads engine + SQLite, opens store)", first, "-");
        return 0;
    }

    private static void Row(string label, List<double> values, string target)
    {
        values.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {values[values.Count / 2]:F1} | {values[0]:F1} | {values[^1]:F1} | {target} |"));
    }
}
