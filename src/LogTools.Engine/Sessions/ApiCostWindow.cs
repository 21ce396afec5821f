using System.Globalization;
using System.Text.RegularExpressions;

namespace LogTools.Engine.Sessions;

/// <summary>Parses what users type for cost windows: time zone ids and -Last durations.</summary>
public static partial class ApiCostWindow
{
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

    /// <summary>"90m", "24h", "7d", "2w" or a TimeSpan ("1.00:00:00"); it must be positive.</summary>
    public static TimeSpan ParseLast(string text)
    {
        var match = Duration().Match(text.Trim());
        if (match.Success)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var span = match.Groups[2].Value.ToLowerInvariant() switch
            {
                "m" or "min" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromDays(7 * amount),
            };
            if (span > TimeSpan.Zero)
            {
                return span;
            }
        }
        else if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }

        throw new LogToolsException("LastInvalid", ErrorKind.InvalidArgument, text,
            $"-Last '{text}' is not a positive duration. Use a number with m, h, d or w (30m, 24h, 7d, 2w) or a TimeSpan such as 1.00:00:00.");
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(m|min|h|d|w)$", RegexOptions.IgnoreCase)]
    private static partial Regex Duration();
}
