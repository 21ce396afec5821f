using System.Diagnostics;
using System.Globalization;
using LogTools.Engine.Mirror;
using LogTools.Engine.Store;
using LogTools.Engine.Tests;

namespace LogTools.Benchmarks;

/// <summary>
/// Sync-LogSource's engine against cp, cp + b3sum and rsync: a new 1 GiB archive, 1 MiB appended to a 1 GiB
/// active file, and a no-op sync of 1,000 unchanged archives. Median of 5 wall-clock runs for the new archive, best
/// of 3 for the others, page cache warm, tools interleaved round by round; the load average is printed because the machine may be shared.
/// The engine's copies are flushed to disk (fsync) before they are recorded; cp and rsync do not flush.
/// Usage: mirror [--dir DIR].
/// </summary>
public sealed class MirrorBenchmark : IBenchmark
{
    private const long Large = 1L << 30;
    private const int Appended = 1 << 20;
    private const int SmallCount = 1000;
    private const int Runs = 3;
    private const int NewRounds = 5;

    public string Name => "mirror";

    public int Run(string[] args)
    {
        string dir = args.Length == 2 && args[0] == "--dir" ? args[1] : Path.Combine(Path.GetTempPath(), "logtools-mirror-bench");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        var random = new Random(42);
        string archives = Path.Combine(dir, "archives"), active = Path.Combine(dir, "active"), many = Path.Combine(dir, "many"), copies = Path.Combine(dir, "copies");
        foreach (var folder in new[] { archives, active, many, copies })
        {
            Directory.CreateDirectory(folder);
        }

        var big = Path.Combine(archives, "big-1.json");
        Fill(big, Large, random);

        // 1. A new 1 GiB archive: a fresh store per run, created before the clock starts (a store is created once,
        // archives arrive every night). The tools take turns round by round, so a burst of load elsewhere on the
        // machine hits them all alike. Each starts after a sync, so none pays for the previous one's deleted 1 GiB
        // (ext4 mounted with discard trims freed blocks at the next journal commit, which an fsync waits for).
        // The engine runs twice: with the kernel's copy (Linux) and with its own reads and writes (elsewhere).
        var copy = Path.Combine(copies, "big-1.json");
        var source = MirrorSourceConfig.Create("big", Path.Combine(archives, "big-*.json"), Path.Combine(archives, "big.json"), "big", dir);
        string[] tools = ["engine", "engine, own reads and writes", "cp", "cp + sync", "cp + b3sum", "cp + sync (fsync) + b3sum"];
        var times = tools.ToDictionary(t => t, _ => new List<TimeSpan>());
        for (var i = 0; i < NewRounds; i++)
        {
            foreach (var tool in tools)
            {
                // A new path each time: a pooled SQLite connection must not find a deleted store's file.
                var storePath = Path.Combine(dir, $"store-new-{i}-{Array.IndexOf(tools, tool)}");
                var store = tool.StartsWith("engine", StringComparison.Ordinal) ? LogStore.Open(storePath) : null;
                MirrorCopy.KernelCopyEnabled = tool == "engine";
                Tool("sync");
                times[tool].Add(Time(() =>
                {
                    if (store is not null)
                    {
                        Sync(store, source);
                        return;
                    }

                    // The engine flushes its copy to disk before recording it; the same guarantee with the reference tools.
                    Tool("cp", big, copies);
                    if (tool.Contains("sync", StringComparison.Ordinal))
                    {
                        Tool("sync", copy);
                    }

                    if (tool.Contains("b3sum", StringComparison.Ordinal))
                    {
                        Tool("b3sum", copy);
                    }
                }));
                if (store is not null)
                {
                    Directory.Delete(storePath, recursive: true);
                }

                File.Delete(copy);
            }
        }

        MirrorCopy.KernelCopyEnabled = true;

        // 2. 1 MiB appended to a 1 GiB active file: each run appends 1 MiB more, to the engine's source and to rsync's.
        var log = Path.Combine(active, "app.json");
        File.Move(big, log);
        var appendStore = LogStore.Open(Path.Combine(dir, "store-append"));
        var appendSource = MirrorSourceConfig.Create("app", Path.Combine(active, "app-*.json"), log, "app", dir);
        Sync(appendStore, appendSource);
        string verifyDest = Path.Combine(copies, "verify"), appendDest = Path.Combine(copies, "append");
        Directory.CreateDirectory(verifyDest);
        Directory.CreateDirectory(appendDest);
        Tool("rsync", log, verifyDest + "/");
        Tool("rsync", log, appendDest + "/");
        var chunk = new byte[Appended];
        void Grow()
        {
            random.NextBytes(chunk);
            using var stream = new FileStream(log, FileMode.Append);
            stream.Write(chunk);
        }

        // Each tool catches up with the same growth: the source grows once per round, each tool syncs once.
        TimeSpan engineAppend = TimeSpan.MaxValue, rsyncVerify = TimeSpan.MaxValue, rsyncAppend = TimeSpan.MaxValue;
        for (var i = 0; i < Runs; i++)
        {
            Grow();
            engineAppend = Min(engineAppend, Time(() => Sync(appendStore, appendSource)));
            rsyncVerify = Min(rsyncVerify, Time(() => Tool("rsync", "--append-verify", log, verifyDest + "/")));
            rsyncAppend = Min(rsyncAppend, Time(() => Tool("rsync", "--append", log, appendDest + "/")));
        }

        if (!File.ReadAllBytes(Path.Combine(dir, "store-append", "pond", "app", "app.json")).AsSpan(^Appended..).SequenceEqual(chunk))
        {
            Console.Error.WriteLine("The engine's pond copy does not end with the appended bytes.");
            return 1;
        }

        // 3. 1,000 unchanged archives: a no-op sync.
        var small = new byte[4096];
        for (var i = 0; i < SmallCount; i++)
        {
            random.NextBytes(small);
            File.WriteAllBytes(Path.Combine(many, $"svc-{i:D4}.json"), small);
        }

        var manyStore = LogStore.Open(Path.Combine(dir, "store-many"));
        var manySource = MirrorSourceConfig.Create("svc", Path.Combine(many, "svc-*.json"), Path.Combine(many, "svc.json"), "svc", dir);
        Sync(manyStore, manySource);
        var noop = Best(() => { }, () =>
        {
            if (Sync(manyStore, manySource).Any(r => r.Action != MirrorAction.Unchanged))
            {
                throw new InvalidOperationException("A no-op sync changed something.");
            }
        });
        Tool("rsync", "-a", many + "/", Path.Combine(copies, "many") + "/");
        var rsyncNoop = Best(() => { }, () => Tool("rsync", "-a", many + "/", Path.Combine(copies, "many") + "/"));

        double Gbps(TimeSpan t) => Large / t.TotalSeconds / 1e9;
        Console.WriteLine($"Sync-LogSource engine, {Environment.ProcessorCount} logical CPUs, new archive median of {NewRounds}, the others best of {Runs}, page cache warm; the engine fsyncs, cp and rsync do not.");
        if (File.Exists("/proc/loadavg"))
        {
            Console.WriteLine($"Load average at the end (1, 5, 15 min): {string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}.");
        }

        Console.WriteLine();
        Console.WriteLine("| Workload | LogTools | Reference | Ratio (reference time / LogTools time) |");
        Console.WriteLine("|---|---|---|---|");
        var engineNew = Median(times["engine"]);
        string Row(string tool) => $"{Median(times[tool]).TotalMilliseconds:F0} ms ({string.Join(", ", times[tool].Select(t => t.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))})";
        Console.WriteLine($"| New 1 GiB archive (copy + BLAKE3, fsync), median of {NewRounds} | {Gbps(engineNew):F2} GB/s: {Row("engine")} | cp + sync (fsync) + b3sum: {Row("cp + sync (fsync) + b3sum")} | {Median(times["cp + sync (fsync) + b3sum"]) / engineNew:F2} |");
        foreach (var tool in new[] { "cp + sync", "cp + b3sum", "cp" })
        {
            Console.WriteLine($"| | | {tool}: {Row(tool)} | {Median(times[tool]) / engineNew:F2} |");
        }

        Console.WriteLine($"| The same, the engine's own reads and writes (not Linux) | {Row("engine, own reads and writes")} | cp + sync (fsync) + b3sum | {Median(times["cp + sync (fsync) + b3sum"]) / Median(times["engine, own reads and writes"]):F2} |");
        Console.WriteLine($"| 1 MiB appended to a 1 GiB active file | {engineAppend.TotalMilliseconds:F1} ms | rsync --append-verify: {rsyncVerify.TotalMilliseconds:F1} ms | {rsyncVerify / engineAppend:F1} |");
        Console.WriteLine($"| | | rsync --append: {rsyncAppend.TotalMilliseconds:F1} ms | {rsyncAppend / engineAppend:F1} |");
        Console.WriteLine($"| No-op sync, {SmallCount:N0} unchanged archives | {noop.TotalMilliseconds:F1} ms | rsync -a: {rsyncNoop.TotalMilliseconds:F1} ms | {rsyncNoop / noop:F2} |");
        Directory.Delete(dir, recursive: true);
        return 0;
    }

    private static List<MirrorResult> Sync(LogStore store, MirrorSourceConfig source) =>
        MirrorSync.Run(store.Path, store, source, new MirrorSyncOptions(), new TestSink { ThrowErrors = true }).ToList();

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    private static TimeSpan Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed;
    }

    private static TimeSpan Best(Action prepare, Action action)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < Runs; i++)
        {
            prepare();
            best = Min(best, Time(action));
        }

        return best;
    }

    private static void Tool(string name, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(name, arguments) { RedirectStandardOutput = true }) ?? throw new InvalidOperationException(name + " could not be started.");
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{name} exited with {process.ExitCode}.");
        }
    }

    private static void Fill(string path, long length, Random random)
    {
        var buffer = new byte[16 << 20];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        for (long done = 0; done < length; done += buffer.Length)
        {
            random.NextBytes(buffer);
            stream.Write(buffer);
        }
    }
}
