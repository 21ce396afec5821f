using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using LogTools.Engine.Hashing;
using LogTools.Tests.Support;

namespace LogTools.Benchmarks;

/// <summary>
/// BLAKE3 file hashing, side by side: the engine, the NuGet package Blake3 (an independent managed implementation,
/// referenced by the benchmarks and tests only) and b3sum. Throughput on a 1 GiB file in the page cache on 1 and 2
/// threads, and per-file cost on 10,000 files of 4 KiB. Best of 5 rounds that each run every workload once (so
/// drifting load on a shared machine hits every tool alike); the load average is printed before and after.
/// The engine is timed memory-mapped (as the package, which hashes a span) and with plain reads (what
/// Get-FileBlake3 uses, so a log truncated mid-hash is an error, not a crash), and Get-FileBlake3 itself inside a
/// pwsh process. Usage: blake3 [--dir DIR].
/// </summary>
public sealed unsafe class Blake3Benchmark : IBenchmark
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

        // Warm the page cache and check that the three agree before timing anything.
        string expected = Blake3File.Hash(large).ToString();
        string reference = B3sum(dir, ["--no-names", large]).Split('\n')[0];
        string package = PackageHash(large, join: true);
        if (expected != reference || expected != package)
        {
            Console.Error.WriteLine($"Digest mismatch: engine {expected}, b3sum {reference}, package {package}");
            return 1;
        }

        string loadBefore = File.ReadAllText("/proc/loadavg").Trim();

        // Every workload runs once per round, rounds repeated: on a shared machine the load drifts within
        // seconds, and timing one tool's runs all before the other's skews their ratio.
        Blake3Options Mapped(int threads) => new() { MaxDegreeOfParallelism = threads, UseMemoryMapping = true };
        Blake3Options Read(int threads) => new() { MaxDegreeOfParallelism = threads };
        var buffer = new byte[SmallLength];
        double[] best = BestInterleaved(
            Wall(() => Blake3File.Hash(large, Mapped(1))),
            Wall(() => Blake3File.Hash(large, Mapped(2))),
            Wall(() => Blake3File.Hash(large, Read(1))),
            Wall(() => Blake3File.Hash(large, Read(2))),
            Wall(() => PackageHash(large, join: false)),
            Wall(() => PackageHash(large, join: true)),
            Wall(() => B3sum(dir, ["--num-threads", "1", large])),
            Wall(() => B3sum(dir, ["--num-threads", "2", large])),
            () => CmdletSeconds($"Get-FileBlake3 -LiteralPath '{large}'"),
            Wall(() =>
            {
                foreach (var path in smallPaths)
                {
                    Blake3File.Hash(path, Read(1));
                }
            }),
            Wall(() =>
            {
                foreach (var path in smallPaths)
                {
                    using var file = File.OpenHandle(path);
                    int read = RandomAccess.Read(file, buffer, 0);
                    Blake3.Hasher.Hash(buffer.AsSpan(0, read));
                }
            }),
            Wall(() => B3sum(smallDir, smallNames)),
            () => CmdletSeconds($"Get-FileBlake3 -Path '{Path.Combine(smallDir, "*.bin")}'"));
        double[] gbps = best.Take(9).Select(Gbps).ToArray();
        double enginePerFile = PerFile(best[9]), packagePerFile = PerFile(best[10]), b3sumPerFile = PerFile(best[11]), cmdletPerFile = PerFile(best[12]);

        Console.WriteLine($"BLAKE3, {Environment.ProcessorCount} logical CPUs, best of {Runs}, page cache warm, b3sum = {B3sum(dir, ["--version"]).Trim()}, package Blake3 3.0.2");
        Console.WriteLine($"Load average (1, 5, 15 min) before: {loadBefore}; after: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine();
        Console.WriteLine("| Workload | LogTools engine | Blake3 package | b3sum | engine / package | engine / b3sum |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine($"| 1 GiB file, 1 thread (mapped) | {gbps[0]:F2} GB/s | {gbps[4]:F2} GB/s | {gbps[6]:F2} GB/s | {gbps[0] / gbps[4]:F2} | {gbps[0] / gbps[6]:F2} |");
        Console.WriteLine($"| 1 GiB file, 2 threads (mapped) | {gbps[1]:F2} GB/s | {gbps[5]:F2} GB/s (UpdateWithJoin) | {gbps[7]:F2} GB/s | {gbps[1] / gbps[5]:F2} | {gbps[1] / gbps[7]:F2} |");
        Console.WriteLine($"| 1 GiB file, 1 thread, engine plain reads | {gbps[2]:F2} GB/s | | {gbps[6]:F2} GB/s | {gbps[2] / gbps[4]:F2} | {gbps[2] / gbps[6]:F2} |");
        Console.WriteLine($"| 1 GiB file, 2 threads, engine plain reads | {gbps[3]:F2} GB/s | | {gbps[7]:F2} GB/s | {gbps[3] / gbps[5]:F2} | {gbps[3] / gbps[7]:F2} |");
        Console.WriteLine($"| Get-FileBlake3, 1 GiB file (all threads, plain reads) | {gbps[8]:F2} GB/s | | {gbps[7]:F2} GB/s | {gbps[8] / gbps[5]:F2} | {gbps[8] / gbps[7]:F2} |");
        Console.WriteLine($"| {SmallCount:N0} files of 4 KiB, per file | {enginePerFile:F1} µs | {packagePerFile:F1} µs | {b3sumPerFile:F1} µs (one process for all files) | {enginePerFile / packagePerFile:F2} | {enginePerFile / b3sumPerFile:F2} |");
        Console.WriteLine($"| Get-FileBlake3 -Path *.bin over {SmallCount:N0} files of 4 KiB, per file | {cmdletPerFile:F1} µs | | {b3sumPerFile:F1} µs | {cmdletPerFile / packagePerFile:F2} | {cmdletPerFile / b3sumPerFile:F2} |");
        return 0;
    }

    private static double PerFile(double seconds) => seconds * 1e6 / SmallCount;

    /// <summary>The package's digest of a file, memory-mapped (its API hashes spans), on one thread or joined over all.</summary>
    private static string PackageHash(string path, bool join)
    {
        using var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        try
        {
            var data = new ReadOnlySpan<byte>(start, checked((int)new FileInfo(path).Length));
            using var hasher = Blake3.Hasher.New();
            if (join)
            {
                hasher.UpdateWithJoin(data);
            }
            else
            {
                hasher.Update(data);
            }

            return hasher.Finalize().ToString();
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    /// <summary>
    /// Times <paramref name="command"/> in a pwsh process that imported out/LogTools (second run, so module import and JIT are excluded)
    /// and returns the process's own measurement, in seconds.
    /// </summary>
    private static double CmdletSeconds(string command)
    {
        var script = $"{command} | Out-Null; $sw = [Diagnostics.Stopwatch]::StartNew(); {command} | Out-Null; $sw.Elapsed.TotalSeconds";
        using var process = Process.Start(Pwsh.CommandStartInfo(Repo.Root, script)) ?? throw new InvalidOperationException("pwsh could not be started.");
        process.StandardInput.Close();
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

    /// <summary>A workload timed on the wall clock (cmdlet workloads report the time measured inside pwsh instead).</summary>
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
