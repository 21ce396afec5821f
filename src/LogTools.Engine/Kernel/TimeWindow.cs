using System.Globalization;
using System.Text.RegularExpressions;

namespace LogTools.Engine;

/// <summary>
/// The one time-window grammar of every cmdlet that takes a window: -Last as admins type it (90s, 15m, 24h, 7d,
/// 2w, 1.5h, or a TimeSpan such as 01:30:00), -Today as the local calendar day, -Since/-Until (or -After/-Before)
/// read in a time zone, and the time zone ids themselves. Every malformed or reversed window is the one error
/// <see cref="ErrorId"/>.
/// </summary>
public static partial class TimeWindow
{
    public const string ErrorId = "InvalidTimeWindow";

    /// <summary>A -Last duration; it must be positive.</summary>
    public static TimeSpan Parse(string text)
    {
        var trimmed = text.Trim();
        var match = Short().Match(trimmed);
        TimeSpan? span = null;
        if (match.Success && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            span = match.Groups[2].Value.ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" or "min" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                "d" => TimeSpan.FromDays(number),
                _ => TimeSpan.FromDays(7 * number),
            };
        }
        else if (TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var parsed))
        {
            span = parsed;
        }

        if (span is not { } window || window <= TimeSpan.Zero)
        {
            throw new LogToolsException(
                ErrorId, ErrorKind.InvalidArgument, text,
                $"'{text}' is not a time window. Give a positive number with a unit (90s, 15m, 24h, 7d, 2w) or a TimeSpan such as 01:30:00.");
        }

        return window;
    }

    /// <summary>The zone with that IANA or Windows id; null or empty means this machine's local zone.</summary>
    public static TimeZoneInfo Zone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Local;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new LogToolsException("TimeZoneNotFound", ErrorKind.InvalidArgument, id,
                $"'{id}' is not a time zone this machine knows. Use an IANA id such as Europe/Berlin or Asia/Kolkata (or a Windows id), or leave -TimeZone out for local time.", ex);
        }
    }

    /// <summary>The local calendar day of <paramref name="zone"/> that contains <paramref name="now"/>, as UTC instants.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Today(DateTimeOffset now, TimeZoneInfo zone)
    {
        var days = new CalendarPeriod(CalendarUnit.Day, zone);
        var start = days.StartOf(now);
        return (start, days.Next(start));
    }

    /// <summary>
    /// The window [since, until) from what a user gave: -Today, -Last, or -Since/-Until (either may be open); dates
    /// without a kind are read in <paramref name="zone"/>. A window that ends before it starts is refused.
    /// </summary>
    public static (DateTimeOffset? Since, DateTimeOffset? Until) Resolve(
        bool today, string? last, DateTime? since, DateTime? until, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (today)
        {
            var (start, end) = Today(now, zone);
            return (start, end);
        }

        if (last is not null)
        {
            return (now - Parse(last), now);
        }

        return Between(since is { } s ? InZone(s, zone) : null, until is { } u ? InZone(u, zone) : null);
    }

    /// <summary>The range a query's -Today (the local calendar day now), or its -Since and -Until, select; a reversed range is refused.</summary>
    public static (DateTimeOffset? Since, DateTimeOffset? Until) Select(bool today, DateTimeOffset? since, DateTimeOffset? until, TimeProvider time)
    {
        if (!today)
        {
            return Between(since, until);
        }

        var (start, end) = Today(time.GetUtcNow(), time.LocalTimeZone);
        return (start, end);
    }

    /// <summary>Returns the window when it does not end before it starts (either end may be open).</summary>
    public static (DateTimeOffset? Since, DateTimeOffset? Until) Between(DateTimeOffset? since, DateTimeOffset? until)
    {
        if (since is { } s && until is { } u && u < s)
        {
            throw new LogToolsException(
                ErrorId, ErrorKind.InvalidArgument, $"{s:o} .. {u:o}",
                $"The time window ends ({u:o}) before it starts ({s:o}). Swap -Since and -Until (or -After and -Before).");
        }

        return (since, until);
    }

    /// <summary>
    /// A user's date: one without a kind (e.g. '2025-06-01') is a wall-clock time in <paramref name="zone"/>, a local one
    /// in this machine's zone. A wall-clock time whose instant lies beyond DateTimeOffset's range (a [datetime]::MinValue
    /// default east of UTC) becomes DateTimeOffset.MinValue or MaxValue, which the timestamp checks refuse by name.
    /// </summary>
    public static DateTimeOffset InZone(DateTime value, TimeZoneInfo zone)
    {
        if (value.Kind == DateTimeKind.Utc)
        {
            return new DateTimeOffset(value);
        }

        var offset = (value.Kind == DateTimeKind.Local ? TimeZoneInfo.Local : zone).GetUtcOffset(value);
        var utcTicks = value.Ticks - offset.Ticks;
        return utcTicks < DateTime.MinValue.Ticks ? DateTimeOffset.MinValue
            : utcTicks > DateTime.MaxValue.Ticks ? DateTimeOffset.MaxValue
            : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Unspecified), offset);
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d|w)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Short();
}
