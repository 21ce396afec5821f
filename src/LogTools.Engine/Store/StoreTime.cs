using System.Globalization;
using System.Runtime.CompilerServices;

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

    // Every stored call runs this: compiled fully optimised at its first call (AggressiveOptimization), not run as
    // ReadyToRun code and then through tiering, which a fresh process's first import never finishes
    // (docs/performance.md, issue 16.1).
    /// <summary>
    /// <see cref="ToText"/> as UTF-8 into <paramref name="destination"/> (<see cref="TextLength"/> bytes), for bulk inserts:
    /// a tenth of the custom format's cost, and no string.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ReadOnlySpan<byte> ToUtf8(DateTimeOffset value, Span<byte> destination)
    {
        var t = value.UtcDateTime;
        var text = destination[..TextLength];
        // Each field's value and digits, then the character after it: yyyy-MM-ddTHH:mm:ss.fffZ.
        ReadOnlySpan<int> values = [t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.Millisecond];
        ReadOnlySpan<byte> widths = [4, 2, 2, 2, 2, 2, 3];
        var after = "--T::.Z"u8;
        var at = 0;
        for (var field = 0; field < values.Length; field++)
        {
            Digits(text.Slice(at, widths[field]), values[field]);
            at += widths[field];
            text[at++] = after[field];
        }

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
