using System.Globalization;
using System.Text;
using System.Text.Unicode;
using LogTools.Engine.Journal;

namespace LogTools.Benchmarks;

/// <summary>
/// The journal's UTF-8 check (Utf8Validation) against the framework's Utf8.IsValid on JSON lines with more or fewer
/// non-ASCII characters spread through them, as an import checks every line (issue 16.1).
/// Usage: utf8 [mb] [rounds]
/// </summary>
public sealed class Utf8Benchmark : IBenchmark
{
    public string Name => "utf8";

    public int Run(string[] args)
    {
        var mb = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"| JSON lines, {mb} MB, {rounds} rounds alternated (load {Timing.Load()}) | Utf8.IsValid, median (fastest) | Utf8Validation, median (fastest) | ratio of medians |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var percent in (int[])[0, 1, 8, 30])
        {
            var lines = Lines(mb, percent);
            var bytes = lines.Sum(l => (long)l.Length);
            var nonAscii = lines.Sum(l => (long)l.Count(b => b >= 0x80));
            var framework = new List<double>();
            var ours = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                framework.Add(GigabytesPerSecond(lines, bytes, l => Utf8.IsValid(l)));
                ours.Add(GigabytesPerSecond(lines, bytes, l => Utf8Validation.IsValid(l)));
            }

            var (a, b) = (Timing.Median(framework), Timing.Median(ours));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {100.0 * nonAscii / bytes:0.0}% non-ASCII bytes, {lines.Count} lines | {a:0.0} GB/s ({framework.Max():0.0}) | {b:0.0} GB/s ({ours.Max():0.0}) | {b / a:0.00}x |"));
        }

        return 0;
    }

    // Lines shaped like a log's user entries: ASCII JSON around words, one in a hundred of which (times the percent)
    // is a non-ASCII one; the same seed each run.
    private static List<byte[]> Lines(int mb, int percent)
    {
        string[] ascii = ["the", "file", "data", "result", "tool_use", "content", "x", "function", "return", "value", "const", "import"];
        string[] other = ["Zürich", "東京", "ünïcödé", "—", "Привет"];
        var random = new Random(16);
        var lines = new List<byte[]>();
        long total = 0;
        while (total < mb * 1_000_000L)
        {
            var text = new StringBuilder("{\"type\":\"user\",\"message\":{\"content\":\"");
            for (var word = random.Next(20, 2000); word > 0; word--)
            {
                text.Append(random.Next(100) < percent ? other[random.Next(other.Length)] : ascii[random.Next(ascii.Length)]).Append(' ');
            }

            var line = Encoding.UTF8.GetBytes(text.Append("\"}}").ToString());
            lines.Add(line);
            total += line.Length;
        }

        return lines;
    }

    private static double GigabytesPerSecond(List<byte[]> lines, long bytes, Func<byte[], bool> check)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var valid = lines.Count(check);
        if (valid != lines.Count)
        {
            throw new InvalidOperationException($"{lines.Count - valid} valid lines were judged invalid.");
        }

        return bytes / clock.Elapsed.TotalSeconds / 1e9;
    }
}
