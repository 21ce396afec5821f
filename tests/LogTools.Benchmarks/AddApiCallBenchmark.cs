using System.Diagnostics;
using System.Globalization;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Benchmarks;

/// <summary>
/// Add-ApiCall fed N objects through the pipeline (objects built before the clock starts), and `Import-Csv | Add-ApiCall`
/// of the same calls as a CSV file, each beside its reference in the same round: the engine's ApiCallStore.Add of the
/// same calls, and Import-Csv alone into Out-Null. Rounds interleave the four, each into a fresh store; the median and the
/// spread (fastest–slowest) of each are printed with the load. Usage: add-api-call [rows] [rounds]
/// </summary>
public sealed class AddApiCallBenchmark : IBenchmark
{
    public string Name => "add-api-call";

    public int Run(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var root = Path.Combine(Path.GetTempPath(), "logtools-bench-add-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(root);
            var csv = Path.Combine(root, "calls.csv");
            using var runspace = Timing.ModuleRunspace();
            Timing.Invoke(runspace, """
                $start = [datetime]::UtcNow.AddDays(-30)
                $global:calls = foreach ($i in 1..$args[0]) {
                    [pscustomobject]@{ timestamp = $start.AddSeconds($i * 7); model = 'claude-sonnet-4-20250514'; input_tokens = $i % 5000
                        output_tokens = 300; cache_read_input_tokens = 12000; cache_creation_input_tokens = 800; machine = 'bench' }
                }
                $global:calls | Export-Csv -Path $args[1]
                """, rows, csv);
            var start = DateTimeOffset.UtcNow.AddDays(-30);
            var load = new List<string> { Load() };
            var times = new Dictionary<string, List<double>> { ["cmdlet"] = [], ["engine"] = [], ["csv"] = [], ["csvAlone"] = [] };
            for (var round = 0; round < rounds; round++)
            {
                var folder = Path.Combine(root, round.ToString(CultureInfo.InvariantCulture));
                times["cmdlet"].Add(Seconds(() => Timing.Invoke(runspace, "$global:calls | Add-ApiCall -Store $args[0]", Path.Combine(folder, "cmdlet"))));

                var calls = Enumerable.Range(1, rows).Select(i => new ApiCall
                {
                    Timestamp = start.AddSeconds(i * 7), Model = "claude-sonnet-4-20250514", InputTokens = i % 5000, OutputTokens = 300,
                    CacheReadTokens = 12000, CacheWriteTokens = 800, Machine = "bench",
                }).ToList();
                var engine = new ApiCallStore(LogStore.Open(Path.Combine(folder, "engine")));
                times["engine"].Add(Seconds(() => engine.Add(calls)));

                times["csv"].Add(Seconds(() => Timing.Invoke(runspace, "Import-Csv $args[0] | Add-ApiCall -Store $args[1]", csv, Path.Combine(folder, "csv"))));
                times["csvAlone"].Add(Seconds(() => Timing.Invoke(runspace, "Import-Csv $args[0] | Out-Null", csv)));
                Directory.Delete(folder, recursive: true);
            }

            load.Add(Load());
            Console.WriteLine($"{rows:N0} calls, {rounds} rounds interleaved; load average {string.Join(" at the start, ", load)} at the end");
            Console.WriteLine();
            Console.WriteLine("| measurement | median | fastest–slowest | rows/s (median) | reference, same rounds | ratio (median of rounds) |");
            Console.WriteLine("|---|---:|---:|---:|---|---:|");
            Row("Add-ApiCall, objects through the pipeline", "cmdlet", "engine ApiCallStore.Add of the same calls", "engine");
            Row("engine ApiCallStore.Add, one transaction", "engine", "", null);
            Row("Import-Csv | Add-ApiCall", "csv", "Import-Csv | Out-Null", "csvAlone");
            Row("Import-Csv | Out-Null", "csvAlone", "", null);
            return 0;

            void Row(string label, string key, string referenceLabel, string? reference)
            {
                var sorted = times[key].Order().ToList();
                var median = sorted[sorted.Count / 2];
                var ratio = reference is null ? "" : $"{Median(times[reference].Zip(times[key], (r, t) => r / t)):0.00}x";
                var referenceText = reference is null ? "" : $"{referenceLabel}: {rows / Median(times[reference]):N0} rows/s";
                Console.WriteLine($"| {label} | {median:0.00} s | {sorted[0]:0.00}–{sorted[^1]:0.00} s | {rows / median:N0} | {referenceText} | {ratio} |");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static double Seconds(Action work)
    {
        var clock = Stopwatch.StartNew();
        work();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
