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

            // 1. Engine write throughput against a plain buffered FileStream appending the same bytes, line by line. The
            // two take turns, several rounds (the first a warm-up, so that both run optimised code), so that a change of
            // load hits both alike; the ratio is the median of the rounds' ratios.
            const int events = 1_000_000;
            var now = DateTimeOffset.UtcNow;
            var written = new List<string>();
            (byte[] Bytes, int[] Ends)? reference = null;
            var writes = Interleaved(Rounds,
                ("engine", () =>
                {
                    var target = ledger.Start(null, null, "bench", RunStatus.Running, Uncapped);
                    using (var writer = RunEventWriter.Open(target.EventsPath, target.RunId, Uncapped))
                    {
                        for (var i = 0; i < events; i++)
                        {
                            writer.Append(new NewRunEvent { Type = RunEventTypes.ConsoleLine, Time = now, Message = "compiling src/module/file.c" });
                        }
                    }

                    written.Add(target.EventsPath);
                }),
                ("FileStream", () =>
                {
                    var (bytes, ends) = reference ??= LinesOf(written[0]);
                    using var plain = new FileStream(Path.Combine(root, "copy.ndjson"), FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
                    for (int i = 0, start = 0; i < ends.Length; start = ends[i++])
                    {
                        plain.Write(bytes, start, ends[i] - start);
                    }

                    plain.Flush(flushToDisk: true);
                }));
            foreach (var file in written.Skip(1))
            {
                File.Delete(file);
            }

            Row($"engine writes, {events:N0} console.line events", writes, "engine", "FileStream", events, "ev/s");
            var engineRate = events / Timing.Median(writes["engine"]) * 1000;
            Row("  the same against the target", $"{engineRate:N0} ev/s", "target 500,000 ev/s", engineRate / 500_000);

            // 2. Write-RunEvent through the pipeline, against the same lines through a compiled cmdlet that keeps nothing.
            const int piped = 300_000;
            using (var runspace = Timing.ModuleRunspace())
            {
                var id = Timing.Invoke(runspace, "(Start-LogRun -Store $args[0] -Kind bench -MaxLogSize 1TB).RunId", store.Path)[0].ToString();
                Timing.Invoke(runspace, "$global:lines = foreach ($i in 1..$args[0]) { \"line $i of the build output\" }", piped);
                var clock = Stopwatch.StartNew();
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
            // The same file as any other log (no length and time recorded at completion): every line checked.
            var edited = new LogRun { RunId = bigRun.RunId, Kind = bigRun.Kind, Status = bigRun.Status, EventsPath = bigRun.EventsPath, HostName = bigRun.HostName };
            // cat, the replay (of the writer's own file, then of any other), and the replay's line check alone (the scan, then the JSON reader over every token, which
            // the replay used before), in turns: the same file, the same load.
            long seen = 0;
            var before = Environment.WorkingSet;
            var peak = 0L;
            var allocated = 0L;
            var replays = Interleaved(Rounds,
                ("cat", () => Exec("sh", "-c", $"cat '{bigRun.EventsPath}' > /dev/null")),
                ("replay", () =>
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
                }),
                ("replay, full check", () => RunEventReader.Read(edited, new RunEventQuery(), _ => { }, _ => { }, CancellationToken.None)),
                ("check: scan", () => Check(bigRun.EventsPath, line => RunEnvelope.Read(line, withPayload: false))),
                ("check: reader", () => Check(bigRun.EventsPath, line => RunEnvelope.ReadWithReader(line, withPayload: false))));
            var mib = size / 1048576.0;
            Row($"replay of {mib:N0} MiB ({seen:N0} events), sequence and type of each", replays, "replay", "cat", mib, "MiB/s");
            Row("  the same file as any other log (every line checked) against cat", replays, "replay, full check", "cat", mib, "MiB/s");
            Row("  line check alone (read, UTF-8, JSON): the scan against the JSON reader", replays, "check: scan", "check: reader", mib, "MiB/s");
            Row("  the JSON reader's line check (the replay before the scan) against cat", replays, "check: reader", "cat", mib, "MiB/s");
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
            double At(double quantile) => latencies[(int)((latencies.Count - 1) * quantile)];
            Row($"-Follow latency, {latencies.Count} events from another process", $"p50 {At(0.5):0.0} ms, p90 {At(0.9):0.0} ms, p99 {At(0.99):0.0} ms, max {At(1):0.0} ms", "target p99 100 ms", 100 / At(0.99));

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

    // Rounds of each interleaved measurement after the warm-up round.
    private const int Rounds = 5;

    /// <summary>
    /// Runs each measurement in turn, one warm-up round and then <paramref name="rounds"/> timed ones, so that a change
    /// of load hits them all alike; each one's times in ms, in round order.
    /// </summary>
    private static Dictionary<string, List<double>> Interleaved(int rounds, params (string Name, Action Work)[] work)
    {
        var times = work.ToDictionary(w => w.Name, _ => new List<double>());
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var (name, action) in work)
            {
                var clock = Stopwatch.StartNew();
                action();
                if (round > 0)
                {
                    times[name].Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }

        return times;
    }


    // A rate row: each side's median rate with its range over the rounds, and the median of the rounds' ratios
    // (reference time / measured time), with their range.
    private static void Row(string what, Dictionary<string, List<double>> times, string measured, string against, double amount, string unit)
    {
        string Rate(List<double> ms) =>
            $"{amount / Timing.Median(ms) * 1000:N0} {unit} (median; {amount / ms.Max() * 1000:N0}–{amount / ms.Min() * 1000:N0})";
        var ratios = times[against].Zip(times[measured], (r, m) => r / m).Order().ToList();
        Console.WriteLine($"| {what} | {Rate(times[measured])} | {against} {Rate(times[against])} | {ratios[ratios.Count / 2]:0.00}x ({ratios[0]:0.00}–{ratios[^1]:0.00}) |");
    }

    // The file's bytes and the end of each line, for the FileStream reference to write line by line.
    private static (byte[] Bytes, int[] Ends) LinesOf(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var ends = new List<int>();
        for (var at = 0; at < bytes.Length;)
        {
            at = Array.IndexOf(bytes, (byte)'\n', at) + 1;
            ends.Add(at);
        }

        return (bytes, [.. ends]);
    }

    // The replay's per-line work without the rest of the replay: read the lines (1 MiB reads, UTF-8 checked) and
    // check each one with the given envelope reader.
    private static void Check(string path, RunEnvelopeReader read)
    {
        using var reader = Engine.Journal.JournalReader.Open(path, new Engine.Journal.JournalReadOptions { ValidateJson = false, BufferBytes = 1 << 20 });
        foreach (var entry in reader.ReadEntries())
        {
            if (entry.Status != Engine.Journal.JournalEntryStatus.Ok || read(entry.Utf8.Span) is null)
            {
                throw new InvalidOperationException($"line {entry.LineNumber} was refused");
            }
        }
    }

    private delegate RunEnvelope? RunEnvelopeReader(ReadOnlySpan<byte> line);

    private static void Row(string what, string result, string reference, double ratio) =>
        Console.WriteLine($"| {what} | {result} | {reference} | {ratio:0.00}x |");

    private static void Exec(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        process.WaitForExit();
    }
}
