using System.Diagnostics;
using System.Globalization;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Benchmarks;

/// <summary>
/// The Runs area: engine event writes against a buffered FileStream appending the same bytes, Write-RunEvent through
/// the pipeline, replay of a large run against cat (with peak working set), -FromSequence near the end, -Follow
/// latency across processes, and Get-LogRun over many runs (through the cmdlet). Every figure has its reference measured
/// in the same run, so the ratios hold on a loaded machine. Usage: runs [replay-MiB] [runs]
/// </summary>
public sealed class RunsBenchmark : IBenchmark
{
    // The figures are about writing and reading, not about the size cap: the runs measured stay under it.
    private const long Uncapped = 1L << 40;

    public string Name => "runs";

    public int Run(string[] args)
    {
        var replayMiB = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
        var runCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var root = Path.Combine(Path.GetTempPath(), "logtools-bench-runs-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = LogStore.Open(Path.Combine(root, "store"));
            var ledger = new RunLedger(store);
            Console.WriteLine($"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Console.WriteLine();
            Console.WriteLine("| measurement | result | reference | ratio |");
            Console.WriteLine("|---|---:|---:|---:|");

            // 1. Engine write throughput against a plain buffered FileStream appending the same bytes.
            const int events = 2_000_000;
            var now = DateTimeOffset.UtcNow;
            void WriteEvents(LogRun target, int count)
            {
                using var writer = RunEventWriter.Open(target.EventsPath, target.RunId, Uncapped);
                for (var i = 0; i < count; i++)
                {
                    writer.Append(new NewRunEvent { Type = RunEventTypes.ConsoleLine, Time = now, Message = "compiling src/module/file.c" });
                }
            }

            // A warm-up run first, so that the measured one runs optimised code (on a loaded machine the JIT's
            // background tiering can lag for seconds).
            WriteEvents(ledger.Start(null, null, "bench", RunStatus.Running, Uncapped), events / 4);
            var run = ledger.Start(null, null, "bench", RunStatus.Running, Uncapped);
            var clock = Stopwatch.StartNew();
            WriteEvents(run, events);
            var engine = events / clock.Elapsed.TotalSeconds;
            var copy = Path.Combine(root, "copy.ndjson");
            var lines = File.ReadLines(run.EventsPath).Select(l => System.Text.Encoding.UTF8.GetBytes(l + "\n")).Take(events).ToList();
            clock.Restart();
            using (var plain = new FileStream(copy, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024))
            {
                foreach (var line in lines)
                {
                    plain.Write(line);
                }

                plain.Flush(flushToDisk: true);
            }

            var baseline = events / clock.Elapsed.TotalSeconds;
            lines.Clear();
            Row($"engine writes, {events:N0} console.line events", $"{engine:N0} ev/s", $"FileStream {baseline:N0} ev/s", engine / baseline);

            // 2. Write-RunEvent through the pipeline, against the same lines through a compiled cmdlet that keeps nothing.
            const int piped = 300_000;
            using (var runspace = Timing.ModuleRunspace())
            {
                var id = Timing.Invoke(runspace, "(Start-LogRun -Store $args[0] -Kind bench -MaxLogSize 1TB).RunId", store.Path)[0].ToString();
                Timing.Invoke(runspace, "$global:lines = foreach ($i in 1..$args[0]) { \"line $i of the build output\" }", piped);
                clock.Restart();
                Timing.Invoke(runspace, "$global:lines | Where-Object Length -lt 0", []);
                var host = piped / clock.Elapsed.TotalSeconds;
                clock.Restart();
                Timing.Invoke(runspace, "$global:lines | Write-RunEvent -Type console.line -RunId $args[0] -Store $args[1]", id, store.Path);
                var pipeline = piped / clock.Elapsed.TotalSeconds;
                Row($"Write-RunEvent, {piped:N0} lines through the pipeline", $"{pipeline:N0} ev/s", $"Where-Object Length -lt 0: {host:N0} ev/s", pipeline / host);
                Row("  the same against the target", $"{pipeline:N0} ev/s", "target 100,000 ev/s", pipeline / 100_000);
            }

            // 3. Replay of a large run against cat, and -FromSequence near its end.
            var big = ledger.Start(null, null, "bench", RunStatus.Running, Uncapped);
            long bigEvents = 0;
            using (var writer = RunEventWriter.Open(big.EventsPath, big.RunId, Uncapped))
            {
                while (writer.Length < replayMiB * 1024L * 1024)
                {
                    writer.Append(new NewRunEvent { Type = RunEventTypes.ConsoleLine, Time = now, Message = "a console line of a long data-processing run, with some detail" });
                    bigEvents++;
                }
            }

            ledger.Complete(big.RunId, RunStatus.Succeeded, 0, [], null);
            var bigRun = ledger.Get(big.RunId);
            var size = new FileInfo(bigRun.EventsPath).Length;
            var cat = Timing.Ms(2, () => Exec("sh", "-c", $"cat '{bigRun.EventsPath}' > /dev/null")).Min / 1000;
            long seen = 0;
            var before = Environment.WorkingSet;
            var peak = 0L;
            var allocated = 0L;
            var replay = Timing.Ms(2, () =>
            {
                seen = 0;
                allocated = GC.GetAllocatedBytesForCurrentThread();
                RunEventReader.Read(bigRun, new RunEventQuery(), line =>
                {
                    if (++seen % 1_000_000 == 0)
                    {
                        peak = Math.Max(peak, Environment.WorkingSet);
                    }
                }, _ => { }, CancellationToken.None);
                allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            }).Min / 1000;
            Row($"replay of {size / 1048576.0:N0} MiB ({seen:N0} events), sequence and type of each", $"{size / 1048576.0 / replay:N0} MiB/s", $"cat {size / 1048576.0 / cat:N0} MiB/s", cat / replay);
            Console.WriteLine($"|   working set before / peak during replay; allocated per event | {before / 1048576} MiB / {Math.Max(peak, before) / 1048576} MiB; {allocated / (double)seen:0} B | | |");
            var seek = Timing.Ms(5, () => RunEventReader.Read(bigRun, new RunEventQuery { FromSequence = bigEvents - 10 }, _ => { }, _ => { }, CancellationToken.None));
            Row("-FromSequence (end - 10) on that run", $"{seek.Median:0.0} ms", "target 20 ms", 20 / seek.Median);

            // 4. -Follow latency: Write-RunEvent in another pwsh process, the object here.
            var follow = ledger.Start(null, null, "bench", RunStatus.Running);
            var latencies = new List<double>();
            var script = $"Import-Module '{Path.Combine(Timing.RepoRoot(), "out", "LogTools", "LogTools.psd1")}'; " +
                $"foreach ($i in 1..300) {{ Write-RunEvent -Type tick -Payload @{{ t = [DateTime]::UtcNow.Ticks }} -RunId {follow.RunId} -Store '{store.Path}'; Start-Sleep -Milliseconds 10 }}; " +
                $"Complete-LogRun -RunId {follow.RunId} -Store '{store.Path}' | Out-Null";
            using (var process = Process.Start(new ProcessStartInfo("dotnet", ["pwsh", "-NoProfile", "-Command", script]) { UseShellExecute = false, WorkingDirectory = Timing.RepoRoot() }))
            {
                RunEventReader.Read(follow, new RunEventQuery { Follow = true, TypeMatch = t => t == "tick" }, line =>
                {
                    var ticks = long.Parse(line.ToEvent().Payload!["t"]!.ToString()!, CultureInfo.InvariantCulture);
                    latencies.Add((DateTime.UtcNow.Ticks - ticks) / 10_000.0);
                }, _ => { }, CancellationToken.None);
                process!.WaitForExit();
            }

            latencies.Sort();
            Row($"-Follow latency, {latencies.Count} events from another process", $"p50 {latencies[latencies.Count / 2]:0.0} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:0.0} ms", "target p99 100 ms", 100 / latencies[(int)(latencies.Count * 0.99)]);

            // 5. Get-LogRun -Status failed -Last 7d over many runs.
            var statuses = new[] { "succeeded", "failed", "cancelled" };
            store.Database.Write((connection, transaction) =>
            {
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO runs (run_id, kind, status, created_at, started_at, completed_at, events_path, host) VALUES ($id, 'sync', $s, $at, $at, $at, $p, 'bench')";
                foreach (var name in new[] { "$id", "$s", "$at", "$p" })
                {
                    var parameter = insert.CreateParameter();
                    parameter.ParameterName = name;
                    insert.Parameters.Add(parameter);
                }

                for (var i = 0; i < runCount; i++)
                {
                    insert.Parameters["$id"].Value = $"bench-{i:D7}";
                    insert.Parameters["$s"].Value = statuses[i % 50 == 0 ? 1 : i % 2 == 0 ? 0 : 2];
                    insert.Parameters["$at"].Value = StoreTime.ToText(now.AddMinutes(-i));
                    insert.Parameters["$p"].Value = $"runs/x/bench-{i:D7}/events.ndjson";
                    insert.ExecuteNonQuery();
                }
            });
            long found = 0;
            var query = Timing.Ms(5, () =>
            {
                found = 0;
                ledger.Find(new RunQuery { Status = [RunStatus.Failed], Since = DateTimeOffset.UtcNow.AddDays(-7) }, _ => found++);
            });
            Row($"Get-LogRun -Status failed -Last 7d over {runCount:N0} runs (engine, {found:N0} found)", $"{query.Median:0.0} ms", "target 20 ms", 20 / query.Median);
            using (var runspace = Timing.ModuleRunspace())
            {
                var cmdlet = Timing.Ms(5, () => Timing.Invoke(runspace, "Get-LogRun -Store $args[0] -Status Failed -Last 7d", store.Path));
                Row("  the same through the cmdlet (objects to the caller)", $"{cmdlet.Median:0.0} ms", "target 20 ms", 20 / cmdlet.Median);
            }

            Console.WriteLine();
            Console.WriteLine($"load at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Row(string what, string result, string reference, double ratio) =>
        Console.WriteLine($"| {what} | {result} | {reference} | {ratio:0.00}x |");

    private static void Exec(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        process.WaitForExit();
    }
}
