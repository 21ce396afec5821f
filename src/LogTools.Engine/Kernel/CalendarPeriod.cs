using System.Globalization;

namespace LogTools.Engine;

/// <summary>
/// Local calendar days, ISO weeks (Monday to Sunday) and months in one time zone, as UTC instants.
/// A local midnight that does not exist (a DST gap) starts at the first valid quarter hour after it;
/// an ambiguous one at its first occurrence.
/// </summary>
public sealed class CalendarPeriod
{
    public CalendarPeriod(CalendarUnit unit, TimeZoneInfo zone)
    {
        Unit = unit;
        Zone = zone;
    }

    public CalendarUnit Unit { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>The start of the period that contains <paramref name="instant"/>.</summary>
    public DateTimeOffset StartOf(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Zone).DateTime.Date;
        return ToInstant(Unit switch
        {
            CalendarUnit.Day => local,
            CalendarUnit.Week => local.AddDays(-(((int)local.DayOfWeek + 6) % 7)),
            _ => new DateTime(local.Year, local.Month, 1),
        });
    }

    /// <summary>The start of the period after the one starting at <paramref name="start"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset start)
    {
        var local = TimeZoneInfo.ConvertTime(start, Zone).DateTime.Date;
        // A start moved by a DST gap is still on its calendar date, so stepping from the date is exact.
        return ToInstant(Unit switch
        {
            CalendarUnit.Day => local.AddDays(1),
            CalendarUnit.Week => local.AddDays(7),
            _ => local.AddMonths(1),
        });
    }

    /// <summary>"2025-06-01", "2025-W23" (ISO year and week) or "2025-06".</summary>
    public string Label(DateTimeOffset start)
    {
        var local = TimeZoneInfo.ConvertTime(start, Zone).DateTime;
        return Unit switch
        {
            CalendarUnit.Day => local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            CalendarUnit.Week => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):00}"),
            _ => local.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The instant, shown in the period's zone.</summary>
    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    private DateTimeOffset ToInstant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
