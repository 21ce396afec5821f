using System.Globalization;

namespace LogTools;

/// <summary>
/// Human-readable sizes and durations for the format views. It lives in the cmdlet assembly (the
/// default load context) so views can name it as [LogTools.Display]; properties stay numeric.
/// </summary>
public static class Display
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

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

    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => string.Empty,
        { TotalSeconds: < 1 } d => d.TotalMilliseconds.ToString("0", CultureInfo.CurrentCulture) + " ms",
        { TotalMinutes: < 1 } d => d.TotalSeconds.ToString("0.0", CultureInfo.CurrentCulture) + " s",
        { TotalHours: < 1 } d => $"{(int)d.TotalMinutes}m {d.Seconds:00}s",
        { TotalDays: < 1 } d => $"{(int)d.TotalHours}h {d.Minutes:00}m",
        var d => $"{(int)d.Value.TotalDays}d {d.Value.Hours:00}h",
    };

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
}
