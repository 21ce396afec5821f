using System.Diagnostics;

namespace LogTools.Engine.Ports;

/// <summary>Where the builds' time went, summed over the ports (worker threads add at once): the profile of a build's overhead.</summary>
internal sealed class PortBuildSplits
{
    private static readonly string[] Names = ["records before the phases", "phases", "checksum after", "records after"];
    private readonly long[] ticks = new long[Names.Length];

    public const int Before = 0, Phases = 1, Checksum = 2, After = 3;

    /// <summary>Adds the time since <paramref name="since"/> to <paramref name="stage"/>, and restarts it.</summary>
    public void Add(int stage, Stopwatch since)
    {
        Interlocked.Add(ref ticks[stage], since.ElapsedTicks);
        since.Restart();
    }

    public override string ToString() => string.Join(", ", Names.Select((name, i) => $"{name} {Stopwatch.GetElapsedTime(0, Interlocked.Read(ref ticks[i])).TotalMilliseconds:F0} ms"));
}
