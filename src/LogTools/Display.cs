using System.Globalization;

namespace LogTools;

/// <summary>
/// Human-readable sizes and durations for the format views. It lives in the cmdlet assembly (the
/// default load context) so views can name it as [LogTools.Display]; properties stay numeric.
/// </summary>
public static class Display
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    private static readonly string[] CountUnits = ["k", "M", "G", "T", "P"];

    public static string Bytes(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? bytes.ToString(CultureInfo.CurrentCulture) + " B"
            : value.ToString(value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00", CultureInfo.CurrentCulture) + " " + Units[unit];
    }

    /// <summary>A count (tokens, rows) in at most 6 characters: 12,345, then 123k, 1.23M, 12.3G...</summary>
    public static string Count(long count)
    {
        if (Math.Abs(count) < 100_000)
        {
            return count.ToString("N0", CultureInfo.CurrentCulture);
        }

        double value = count;
        var unit = -1;
        while (Math.Abs(value) >= 1000 && unit < CountUnits.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.0" : "0.00", CultureInfo.CurrentCulture) + CountUnits[unit];
    }

    /// <summary>
    /// A USD amount: 4 decimals below 100, 2 above. With unpriced calls, "unpriced" when nothing else is known,
    /// otherwise "&gt;=" the known part: a partial sum is never shown as the cost.
    /// </summary>
    public static string Usd(decimal? cost, decimal known = 0, long unpriced = 0) =>
        unpriced > 0 || cost is null
            ? known > 0 ? ">=" + Amount(known) : "unpriced"
            : Amount(cost.Value);

    /// <summary>A point in time as a local date and time to the minute (or to the second).</summary>
    public static string Time(DateTimeOffset? time, bool seconds = false) =>
        time is { } t ? t.LocalDateTime.ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : string.Empty;

    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => string.Empty,
        { TotalSeconds: < 1 } d => d.TotalMilliseconds.ToString("0", CultureInfo.CurrentCulture) + " ms",
        { TotalMinutes: < 1 } d => d.TotalSeconds.ToString("0.0", CultureInfo.CurrentCulture) + " s",
        { TotalHours: < 1 } d => $"{(int)d.TotalMinutes}m {d.Seconds:00}s",
        { TotalDays: < 1 } d => $"{(int)d.TotalHours}h {d.Minutes:00}m",
        var d => $"{(int)d.Value.TotalDays}d {d.Value.Hours:00}h",
    };

    private static string Amount(decimal usd) => usd.ToString(Math.Abs(usd) >= 100 ? "N2" : "N4", CultureInfo.CurrentCulture);

    /// <summary>
    /// A name shortened to <paramref name="width"/> by cutting its middle, not its end: the end of a log file's name
    /// (its date, its extension, .gz) tells the files apart, while a table cuts at the end.
    /// </summary>
    public static string Middle(string? text, int width)
    {
        if (text is null || text.Length <= width)
        {
            return text ?? string.Empty;
        }

        var tail = (width - 1) / 2;
        return string.Concat(text.AsSpan(0, width - 1 - tail), "…", text.AsSpan(text.Length - tail));
    }

    /// <summary>
    /// A path shortened to <paramref name="width"/> by cutting its start, marked "...": the file name and the folders
    /// nearest it tell files apart, while a table would cut the file name.
    /// </summary>
    public static string Tail(string? path, int width) =>
        path is null || path.Length <= width ? path ?? string.Empty : string.Concat("...", path.AsSpan(path.Length - (width - 3)));
}
