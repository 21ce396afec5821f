using System.Diagnostics;
using System.Globalization;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Benchmarks;

/// <summary>
/// Add-ApiCall fed N objects through the pipeline (built before the clock starts): script objects with typed values, and
/// the same calls as text, the way Import-Csv makes them. References in the same rounds: the engine's ApiCallStore.Add of
/// the same calls, Where-Object reading one property of each text object by name and comparing it, and Skip-Object, a
/// compiled cmdlet doing nothing with each object (what the pipeline itself costs). Rounds interleave the five, each store
/// fresh; the median and the spread (fastest–slowest) of each are printed with the load. Usage: add-api-call [rows] [rounds]
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
            using var runspace = Timing.ModuleRunspace();
            Timing.Invoke(runspace, "Import-Module -Assembly $args[0]", typeof(SkipObjectCommand).Assembly);
            Timing.Invoke(runspace, """
                $start = [datetime]::UtcNow.AddDays(-30)
                $global:calls = foreach ($i in 1..$args[0]) {
                    [pscustomobject]@{ timestamp = $start.AddSeconds($i * 7); model = 'claude-sonnet-4-20250514'; input_tokens = $i % 5000
                        output_tokens = 300; cache_read_input_tokens = 12000; cache_creation_input_tokens = 800; machine = 'bench' }
                }
                $global:texts = foreach ($call in $global:calls) {
                    [pscustomobject]@{ timestamp = $call.timestamp.ToString('o'); model = $call.model; input_tokens = "$($call.input_tokens)"
                        output_tokens = '300'; cache_read_input_tokens = '12000'; cache_creation_input_tokens = '800'; machine = 'bench' }
                }
                """, rows);
            var start = DateTimeOffset.UtcNow.AddDays(-30);
            var load = new List<string> { Timing.Load() };
            var times = new Dictionary<string, List<double>> { ["cmdlet"] = [], ["engine"] = [], ["text"] = [], ["where"] = [], ["skip"] = [] };
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

                times["text"].Add(Seconds(() => Timing.Invoke(runspace, "$global:texts | Add-ApiCall -Store $args[0]", Path.Combine(folder, "text"))));
                times["where"].Add(Seconds(() => Timing.Invoke(runspace, "$global:texts | Where-Object model -eq none")));
                times["skip"].Add(Seconds(() => Timing.Invoke(runspace, "$global:texts | Skip-Object")));
                Directory.Delete(folder, recursive: true);
            }

            load.Add(Timing.Load());
            Console.WriteLine($"{rows:N0} calls, {rounds} rounds interleaved; load average {string.Join(" at the start, ", load)} at the end");
            Console.WriteLine();
            Console.WriteLine("| measurement | median | fastest–slowest | rows/s (median) | reference, same rounds | ratio (median of rounds) |");
            Console.WriteLine("|---|---:|---:|---:|---|---:|");
            Row("Add-ApiCall, script objects through the pipeline", "cmdlet", "engine ApiCallStore.Add", "engine");
            Row("Add-ApiCall, text objects (as from Import-Csv)", "text", "engine ApiCallStore.Add", "engine");
            Row("  the same against Where-Object", "text", "Where-Object model -eq none", "where");
            Row("  the same against the pipeline alone", "text", "Skip-Object (does nothing)", "skip");
            Row("engine ApiCallStore.Add, one transaction", "engine", "", null);
            Row("Where-Object model -eq none, the text objects", "where", "", null);
            Row("Skip-Object, the text objects", "skip", "", null);
            return 0;

            void Row(string label, string key, string referenceLabel, string? reference)
            {
                var sorted = times[key].Order().ToList();
                var median = sorted[sorted.Count / 2];
                var ratio = reference is null ? "" : $"{Timing.Median(times[reference].Zip(times[key], (r, t) => r / t)):0.00}x";
                var referenceText = reference is null ? "" : $"{referenceLabel}: {rows / Timing.Median(times[reference]):N0} rows/s";
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

}
