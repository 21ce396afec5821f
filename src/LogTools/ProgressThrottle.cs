using System.Diagnostics;

namespace LogTools;

/// <summary>
/// When a long copy or hash should draw its progress bar: WriteProgress costs more than copying or hashing a MiB,
/// so a report is drawn at most once per interval, and always when the work is done (so the bar closes).
/// </summary>
internal sealed class ProgressThrottle(TimeSpan interval)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    // Null until the first draw: no sentinel time that arithmetic on the clock could overflow.
    private TimeSpan? lastDraw;

    /// <summary>True when this report should be drawn; the first report and the final one always are.</summary>
    public bool Due(bool final = false)
    {
        var now = clock.Elapsed;
        if (!final && lastDraw is { } last && now - last < interval)
        {
            return false;
        }

        lastDraw = now;
        return true;
    }
}
