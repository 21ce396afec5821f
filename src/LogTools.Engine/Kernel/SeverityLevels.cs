using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Engine;

/// <summary>The stored names of the severities at or above a minimum, for "at least this severe" filters (SQL IN).</summary>
internal static class SeverityLevels
{
    public static List<string>? AtLeast(LogEventSeverity? minimum) => minimum is { } min
        ? Enum.GetValues<LogEventSeverity>().Where(s => s >= min).Select(s => Sql.Lower(s)).ToList()
        : null;
}
