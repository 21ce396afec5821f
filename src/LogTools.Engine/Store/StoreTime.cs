using System.Globalization;

namespace LogTools.Engine.Store;

/// <summary>
/// The one text form of a timestamp in the store: UTC ISO-8601 with milliseconds, so that values
/// sort and index as text and are never ambiguous about their zone.
/// </summary>
public static class StoreTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>The length of <see cref="ToText"/>'s result, in characters and in UTF-8 bytes.</summary>
    internal const int TextLength = 24;

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>
    /// <see cref="ToText"/> as UTF-8 into <paramref name="destination"/> (<see cref="TextLength"/> bytes), for bulk inserts:
    /// a tenth of the custom format's cost, and no string.
    /// </summary>
    internal static ReadOnlySpan<byte> ToUtf8(DateTimeOffset value, Span<byte> destination)
    {
        var t = value.UtcDateTime;
        var text = destination[..TextLength];
        Digits(text[..4], t.Year);
        text[4] = (byte)'-';
        Digits(text[5..7], t.Month);
        text[7] = (byte)'-';
        Digits(text[8..10], t.Day);
        text[10] = (byte)'T';
        Digits(text[11..13], t.Hour);
        text[13] = (byte)':';
        Digits(text[14..16], t.Minute);
        text[16] = (byte)':';
        Digits(text[17..19], t.Second);
        text[19] = (byte)'.';
        Digits(text[20..23], t.Millisecond);
        text[23] = (byte)'Z';
        return text;
    }

    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ParseOrNull(string? text) => text is null ? null : Parse(text);
}
