using System.Runtime.InteropServices;
using LogTools.Engine.Journal;
using LogTools.Engine.Sessions;

namespace LogTools.Benchmarks;

/// <summary>
/// The read side of Import-LogHistory split into its steps, each timed as the thread's CPU time (so other load on the
/// machine counts little): passes over the same files that each add one step to the one before, the step's share being
/// the difference. Each pass runs three times after a warm-up; the median counts.
/// </summary>
internal static class HistoryReadSteps
{
    private const int Passes = 3;

    public static void Print(string projects, long calls)
    {
        var steps = new (string Name, Func<long> Pass)[]
        {
            ("enumerate the files and stat each (the plan)", () => Enumerate(projects)),
            ("+ read every byte (64 KiB reads)", () => Read(projects, split: false)),
            ("+ split lines (search for '\\n')", () => Read(projects, split: true)),
            ("+ check UTF-8, make entries (JournalReader as the importer uses it)", () => Journal(projects, _ => 0)),
            ("+ probe for \"usage\" (the byte search that lets other lines skip the parse)", () => Journal(projects, line => line.IndexOf("\"usage\""u8) >= 0 ? 1 : 0)),
            ("+ parse the call lines into ApiCalls (HistoryLineParser, as imported)", () => Journal(projects, Parse)),
            ("+ dedup key of each call (ApiCallKey.For; the writer builds it)", () => Journal(projects, ParseAndKey)),
        };
        Console.WriteLine($"| read-side step (thread CPU time, median of {Passes}) | this pass, s | step's share, s | step, µs a call |");
        Console.WriteLine("|---|---:|---:|---:|");
        double before = 0;
        foreach (var (name, pass) in steps)
        {
            pass();
            var times = new List<double>();
            for (var i = 0; i < Passes; i++)
            {
                var start = ThreadCpuSeconds();
                pass();
                times.Add(ThreadCpuSeconds() - start);
            }

            var median = Timing.Median(times);
            var share = name.StartsWith('+') ? median - before : median;
            Console.WriteLine($"| {name} | {median:0.000} | {share:0.000} | {share * 1e6 / calls:0.0} |");
            before = median;
        }

        Console.WriteLine("(no price lookup: Import-LogHistory stores calls without estimating their cost)");
    }

    private static long Enumerate(string projects) => Files(projects).Count;

    // As the importer plans: every log under the folder, with its size and modification time.
    private static List<string> Files(string projects)
    {
        var files = new List<string>();
        foreach (var file in HistoryImporter.FilesIn(projects))
        {
            var info = new FileInfo(file);
            if (info.Length >= 0 && info.LastWriteTimeUtc.Ticks > 0)
            {
                files.Add(file);
            }
        }

        return files;
    }

    // Every byte read in 64 KiB reads, the lines found in them when asked.
    private static long Read(string projects, bool split)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        foreach (var file in Files(projects))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            int kept = 0, read;
            while ((read = stream.Read(buffer, kept, buffer.Length - kept)) > 0)
            {
                total += read;
                var data = buffer.AsSpan(0, kept + read);
                int start = 0, newline;
                while (split && (newline = data[start..].IndexOf((byte)'\n')) >= 0)
                {
                    total++;
                    start += newline + 1;
                }

                if (split)
                {
                    // The partial last line moves to the front, as the journal reader does.
                    kept = data.Length - start;
                    if (kept == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    data[start..].CopyTo(buffer);
                }
            }
        }

        return total;
    }

    private static long Journal(string projects, Func<ReadOnlySpan<byte>, long> step)
    {
        long total = 0;
        foreach (var file in Files(projects))
        {
            using var reader = JournalReader.Open(file, new JournalReadOptions { ValidateJson = false });
            foreach (var entry in reader.ReadEntries())
            {
                total += entry.Status == JournalEntryStatus.Ok ? step(entry.Utf8.Span) : 0;
            }
        }

        return total;
    }

    private static long Parse(ReadOnlySpan<byte> line) =>
        HistoryLineParser.Parse(line, "bench", "source", out _, out _) == HistoryLineKind.ApiCall ? 1 : 0;

    private static long ParseAndKey(ReadOnlySpan<byte> line) =>
        HistoryLineParser.Parse(line, "bench", "source", out var call, out _) == HistoryLineKind.ApiCall
            ? ApiCallKey.For(call!.MessageId, call.RequestId)?.Length ?? 0
            : 0;

    private static double ThreadCpuSeconds()
    {
        // RUSAGE_THREAD: this thread's user and system time, in microseconds.
        var usage = new long[18];
        if (getrusage(1, usage) != 0)
        {
            throw new InvalidOperationException("getrusage failed");
        }

        return usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, long[] usage);
}
