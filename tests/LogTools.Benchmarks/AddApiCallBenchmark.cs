using System.Diagnostics;
using System.Globalization;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Benchmarks;

/// <summary>
/// Add-ApiCall fed 100,000 objects through the pipeline (objects built before the clock starts), beside
/// the engine's ApiCallStore.Add of the same calls. Usage: add-api-call [rows]
/// </summary>
public sealed class AddApiCallBenchmark : IBenchmark
{
    public string Name => "add-api-call";

    public int Run(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var root = Path.Combine(Path.GetTempPath(), "logtools-bench-add-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var runspace = Timing.ModuleRunspace();
            Timing.Invoke(runspace, """
                $start = [datetime]::UtcNow.AddDays(-30)
                $global:calls = foreach ($i in 1..$args[0]) {
                    [pscustomobject]@{ timestamp = $start.AddSeconds($i * 7); model = 'claude-sonnet-4-20250514'; input_tokens = $i % 5000
                        output_tokens = 300; cache_read_input_tokens = 12000; cache_creation_input_tokens = 800; machine = 'bench' }
                }
                """, rows);
            var clock = Stopwatch.StartNew();
            Timing.Invoke(runspace, "$global:calls | Add-ApiCall -Store $args[0]", Path.Combine(root, "cmdlet"));
            var cmdlet = clock.Elapsed.TotalSeconds;

            var store = LogStore.Open(Path.Combine(root, "engine"));
            var start = DateTimeOffset.UtcNow.AddDays(-30);
            var calls = Enumerable.Range(1, rows).Select(i => new ApiCall
            {
                Timestamp = start.AddSeconds(i * 7), Model = "claude-sonnet-4-20250514", InputTokens = i % 5000, OutputTokens = 300,
                CacheReadTokens = 12000, CacheWriteTokens = 800, Machine = "bench",
            }).ToList();
            clock.Restart();
            var added = new ApiCallStore(store).Add(calls).Added;
            var engine = clock.Elapsed.TotalSeconds;

            Console.WriteLine($"{rows:N0} calls; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Console.WriteLine();
            Console.WriteLine("| measurement | time | rows/s |");
            Console.WriteLine("|---|---:|---:|");
            Console.WriteLine($"| Add-ApiCall, {rows:N0} objects through the pipeline | {cmdlet:0.00} s | {rows / cmdlet:N0} |");
            Console.WriteLine($"| engine ApiCallStore.Add, {added:N0} calls in one transaction | {engine:0.00} s | {rows / engine:N0} |");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
