using System.Globalization;

namespace LogTools.Engine.Sessions;

/// <summary>
/// The one conversion of token counts for every path that stores API calls (Add-ApiCall's loosely typed input,
/// Import-LogHistory's JSON numbers): a whole number from 0 up that fits in 64 bits, written without sign,
/// separators, fraction or exponent. Anything else is an <c>InvalidTokenCount</c> error naming the property and
/// the value, never a silent 0; totals are computed in checked arithmetic.
/// </summary>
public static class TokenCount
{
    public const string ErrorId = "InvalidTokenCount";

    /// <summary>A count from script objects, CSV text or .NET numbers; null or empty text means "not given" (0).</summary>
    public static long From(object? value, string property) => value switch
    {
        null => 0,
        string s when string.IsNullOrWhiteSpace(s) => 0,
        string s => TryParse(s.AsSpan().Trim(), out var count) ? count : throw Invalid(property, value),
        long or int or short or sbyte or byte or ushort or uint => Checked(Convert.ToInt64(value, CultureInfo.InvariantCulture), property),
        ulong u => u <= long.MaxValue ? (long)u : throw Invalid(property, value),
        // Only whole values convert; 2^63 itself is out of range, and NaN or infinities compare false.
        double d => d >= 0 && d < 9223372036854775808d && d == Math.Floor(d) ? (long)d : throw Invalid(property, value),
        float f => f >= 0 && f < 9223372036854775808f && f == MathF.Floor(f) ? (long)f : throw Invalid(property, value),
        decimal m => m >= 0 && m <= long.MaxValue && m == decimal.Truncate(m) ? (long)m : throw Invalid(property, value),
        _ => throw Invalid(property, value),
    };

    /// <summary>Digits only (UTF-16), the form a count takes in text.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long count) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count);

    /// <summary>Digits only (UTF-8, e.g. a JSON number token's text): the same rule as <see cref="TryParse(ReadOnlySpan{char}, out long)"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out long count) =>
        long.TryParse(utf8, NumberStyles.None, CultureInfo.InvariantCulture, out count);

    /// <summary>Returns <paramref name="count"/> when it is a valid count (from 0 up).</summary>
    public static long Checked(long count, string property, object? value = null) =>
        count >= 0 ? count : throw Invalid(property, value ?? count);

    /// <summary>The sum of a call's counts; a sum beyond 64 bits is refused, not wrapped.</summary>
    public static long Total(long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h)
    {
        try
        {
            return checked(input + output + cacheRead + cacheWrite + cacheWrite1h);
        }
        catch (OverflowException e)
        {
            var parts = string.Join(" + ", new[] { input, output, cacheRead, cacheWrite, cacheWrite1h }.Select(n => n.ToString(CultureInfo.InvariantCulture)));
            throw new LogToolsException(ErrorId, ErrorKind.InvalidArgument, parts,
                $"TotalTokens '{parts}' does not fit in a 64-bit count (largest {long.MaxValue}); the token counts are not plausible. Nothing was stored for this call.", e);
        }
    }

    /// <summary>The error for a value that is not a token count.</summary>
    public static LogToolsException Invalid(string property, object? value) => new(
        ErrorId, ErrorKind.InvalidArgument, value,
        string.Create(CultureInfo.InvariantCulture,
            $"{property} '{value}' is not a token count: give a whole number from 0 to {long.MaxValue}, written with digits only (no sign, separators, fraction or exponent). Nothing was stored for this call."));
}
