using LogTools.Engine.Store;

namespace LogTools.Engine.Sessions;

/// <summary>Checks on the timestamps callers give: a time in the future is almost always a bug or a wrong clock.</summary>
public static class TelemetryTime
{
    /// <summary>How far ahead of this machine's clock a given time may be (clock skew between machines).</summary>
    public static TimeSpan FutureAllowance { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Returns <paramref name="value"/>, or <paramref name="now"/> when it is null; refuses a time in the future.</summary>
    public static DateTimeOffset Check(DateTimeOffset? value, DateTimeOffset now, string what)
    {
        if (value is not { } given)
        {
            return now;
        }

        if (given > now + FutureAllowance)
        {
            throw new LogToolsException(
                "TimestampInFuture", ErrorKind.InvalidArgument, given,
                $"The {what} {StoreTime.ToText(given)} is more than {FutureAllowance.TotalMinutes:0} minutes in the future (now {StoreTime.ToText(now)}). " +
                "Give a past time, or check the clock of the machine that produced it. Nothing was stored.");
        }

        return given;
    }

    /// <summary>The range a query's -Today, -Since and -Until select: today's local calendar day, or since/until as given.</summary>
    public static (DateTimeOffset? Since, DateTimeOffset? Until) Window(bool today, DateTimeOffset? since, DateTimeOffset? until, TimeProvider time)
    {
        if (!today)
        {
            return (since, until);
        }

        var (start, end) = LocalDay(time.GetUtcNow(), time.LocalTimeZone);
        return (start, end);
    }

    /// <summary>The UTC range of the local calendar day that contains <paramref name="now"/>.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) LocalDay(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = local.Date;
        var next = midnight.AddDays(1);
        return (new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)), new DateTimeOffset(next, zone.GetUtcOffset(next)));
    }
}
