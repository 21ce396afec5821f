using System.Globalization;

namespace LogTools.Engine.Store;

/// <summary>
/// The one text form of a timestamp in the store: UTC ISO-8601 with milliseconds, so that values
/// sort and index as text and are never ambiguous about their zone.
/// </summary>
public static class StoreTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ParseOrNull(string? text) => text is null ? null : Parse(text);
}
