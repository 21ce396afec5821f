using System.Globalization;
using System.Text.RegularExpressions;

namespace LogTools.Engine.Sessions;

/// <summary>Parses "how far back" windows as admins type them: 90s, 15m, 24h, 7d, 1.5h, or a TimeSpan such as 01:30:00.</summary>
public static partial class TimeWindow
{
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
                "m" => TimeSpan.FromMinutes(number),
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
                "InvalidTimeWindow", ErrorKind.InvalidArgument, text,
                $"'{text}' is not a time window. Give a positive number with a unit (90s, 15m, 24h, 7d, 2w) or a TimeSpan such as 01:30:00.");
        }

        return window;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Short();
}
