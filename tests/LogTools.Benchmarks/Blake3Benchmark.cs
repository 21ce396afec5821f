using System.Diagnostics;
using LogTools.Engine.Hashing;

namespace LogTools.Benchmarks;

/// <summary>
/// BLAKE3 file hashing against b3sum: throughput on a 1 GiB file (one thread and all threads) and per-file cost
/// on 10,000 files of 4 KiB. Best of 5 rounds that each run every workload once (so drifting load on a shared
/// machine hits both tools alike), page cache warm. Usage: blake3 [--dir DIR].
/// The engine is timed memory-mapped and with plain reads (what Get-FileBlake3 uses, so a log truncated
/// mid-hash is an error, not a crash), and Get-FileBlake3 itself inside a logtools process.
/// </summary>
public sealed class Blake3Benchmark : IBenchmark
{
    private const long LargeLength = 1L << 30;
    private const int SmallCount = 10_000;
    private const int SmallLength = 4096;
    private const int Runs = 5;

    public string Name => "blake3";

    public int Run(string[] args)
    {
        string dir = args.Length == 2 && args[0] == "--dir" ? args[1] : Path.Combine(Path.GetTempPath(), "logtools-blake3-bench");
        string large = Path.Combine(dir, "large.bin");
        string smallDir = Path.Combine(dir, "small");
        Prepare(large, smallDir);
        string[] smallNames = Enumerable.Range(0, SmallCount).Select(i => $"{i:D5}.bin").ToArray();
        string[] smallPaths = smallNames.Select(n => Path.Combine(smallDir, n)).ToArray();

        // Warm the page cache and check that both tools agree before timing anything.
        string expected = Blake3File.Hash(large).ToString();
        string reference = B3sum(dir, ["--no-names", large]).Split('\n')[0];
        if (expected != reference)
        {
            Console.Error.WriteLine($"Digest mismatch: engine {expected}, b3sum {reference}");
            return 1;
        }

        // Every workload runs once per round, rounds repeated: on a shared machine the load drifts within
        // seconds, and timing one tool's runs all before the other's skews their ratio.
        var single = new Blake3Options { MaxDegreeOfParallelism = 1 };
        double[] best = BestInterleaved(
            Wall(() => Blake3File.Hash(large, new Blake3Options { MaxDegreeOfParallelism = 1, UseMemoryMapping = true })),
            Wall(() => Blake3File.Hash(large, new Blake3Options { UseMemoryMapping = true })),
            Wall(() => Blake3File.Hash(large, single)),
            Wall(() => Blake3File.Hash(large)),
            () => CmdletSeconds($"Get-FileBlake3 -LiteralPath '{large}'"),
            Wall(() => B3sum(dir, ["--num-threads", "1", large])),
            Wall(() => B3sum(dir, [large])),
            Wall(() =>
            {
                foreach (var path in smallPaths)
                {
                    Blake3File.Hash(path, single);
                }
            }),
            Wall(() => B3sum(smallDir, smallNames)),
            () => CmdletSeconds($"Get-FileBlake3 -Path '{Path.Combine(smallDir, "*.bin")}'"));
        double engine1 = Gbps(best[0]), engineN = Gbps(best[1]), read1 = Gbps(best[2]), readN = Gbps(best[3]), cmdletN = Gbps(best[4]);
        double b3sum1 = Gbps(best[5]), b3sumN = Gbps(best[6]);
        double enginePerFile = best[7] * 1e6 / SmallCount, b3sumPerFile = best[8] * 1e6 / SmallCount, cmdletPerFile = best[9] * 1e6 / SmallCount;

        int threads = Environment.ProcessorCount;
        Console.WriteLine($"BLAKE3, {Environment.ProcessorCount} logical CPUs, best of {Runs}, page cache warm, b3sum = {B3sum(dir, ["--version"]).Trim()}");
        Console.WriteLine();
        Console.WriteLine("| Workload | LogTools engine | b3sum | engine / b3sum |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| 1 GiB file, 1 thread | {engine1:F2} GB/s | {b3sum1:F2} GB/s | {engine1 / b3sum1:F2} |");
        Console.WriteLine($"| 1 GiB file, {threads} threads | {engineN:F2} GB/s | {b3sumN:F2} GB/s | {engineN / b3sumN:F2} |");
        Console.WriteLine($"| 1 GiB file, 1 thread, plain reads | {read1:F2} GB/s | {b3sum1:F2} GB/s | {read1 / b3sum1:F2} |");
        Console.WriteLine($"| 1 GiB file, {threads} threads, plain reads | {readN:F2} GB/s | {b3sumN:F2} GB/s | {readN / b3sumN:F2} |");
        Console.WriteLine($"| Get-FileBlake3, 1 GiB file ({threads} threads, plain reads) | {cmdletN:F2} GB/s | {b3sumN:F2} GB/s | {cmdletN / b3sumN:F2} |");
        Console.WriteLine($"| {SmallCount:N0} files of 4 KiB, per file | {enginePerFile:F1} µs | {b3sumPerFile:F1} µs (one process for all files) | {enginePerFile / b3sumPerFile:F2} |");
        Console.WriteLine($"| Get-FileBlake3 -Path *.bin over {SmallCount:N0} files of 4 KiB, per file | {cmdletPerFile:F1} µs | {b3sumPerFile:F1} µs | {cmdletPerFile / b3sumPerFile:F2} |");
        return 0;
    }

    /// <summary>
    /// Times <paramref name="command"/> in a logtools process (second run, so module import and JIT are excluded)
    /// and returns the process's own measurement, in seconds.
    /// </summary>
    private static double CmdletSeconds(string command)
    {
        var script = $"{command} | Out-Null; $sw = [Diagnostics.Stopwatch]::StartNew(); {command} | Out-Null; $sw.Elapsed.TotalSeconds";
        var start = new ProcessStartInfo(Repo.Host, ["-Command", script]) { RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("logtools could not be started.");
        double seconds = double.Parse(process.StandardOutput.ReadToEnd().Trim(), System.Globalization.CultureInfo.InvariantCulture);
        process.WaitForExit();
        return seconds;
    }

    private static double Gbps(double seconds) => LargeLength / seconds / 1e9;

    /// <summary>Best time of each workload, in seconds, over <see cref="Runs"/> rounds that run every workload once.</summary>
    private static double[] BestInterleaved(params Func<double>[] workloads)
    {
        var best = Enumerable.Repeat(double.MaxValue, workloads.Length).ToArray();
        for (int run = 0; run < Runs; run++)
        {
            for (int i = 0; i < workloads.Length; i++)
            {
                best[i] = Math.Min(best[i], workloads[i]());
            }
        }

        return best;
    }

    /// <summary>A workload timed on the wall clock (cmdlet workloads report the time measured inside logtools instead).</summary>
    private static Func<double> Wall(Action action) => () =>
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    };

    private static string B3sum(string workingDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("b3sum") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("b3sum could not be started.");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"b3sum exited with {process.ExitCode}.");
    }

    /// <summary>Creates the inputs once and reuses them in later runs (random content, so nothing compresses or dedupes).</summary>
    private static void Prepare(string large, string smallDir)
    {
        Directory.CreateDirectory(smallDir);
        var random = new Random(42);
        if (!File.Exists(large) || new FileInfo(large).Length != LargeLength)
        {
            Console.Error.WriteLine($"Creating {large} ...");
            var buffer = new byte[16 << 20];
            using var stream = new FileStream(large, FileMode.Create, FileAccess.Write, FileShare.None, 0);
            for (long done = 0; done < LargeLength; done += buffer.Length)
            {
                random.NextBytes(buffer);
                stream.Write(buffer);
            }
        }

        var small = new byte[SmallLength];
        for (int i = 0; i < SmallCount; i++)
        {
            string path = Path.Combine(smallDir, $"{i:D5}.bin");
            if (!File.Exists(path))
            {
                random.NextBytes(small);
                File.WriteAllBytes(path, small);
            }
        }
    }
}
