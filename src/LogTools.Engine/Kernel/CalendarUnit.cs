namespace LogTools.Engine;

/// <summary>The calendar periods a report or a budget counts in: local days, ISO weeks and months.</summary>
public enum CalendarUnit
{
    Day,
    Week,
    Month,
}
