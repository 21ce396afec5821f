using System.Globalization;

namespace LogTools.Engine.Sessions;

/// <summary>
/// Turns loosely typed input (script objects, Import-Csv strings, JSON numbers) into API call values.
/// An empty value means "not given"; anything unreadable is an error naming the value, never a silent zero.
/// </summary>
public static class ApiCallValues
{
    /// <summary>A time: DateTimeOffset, DateTime (unspecified = local) or ISO-8601-like text; empty = now.</summary>
    public static DateTimeOffset Timestamp(object? value) => value switch
    {
        null => DateTimeOffset.UtcNow,
        DateTimeOffset d => d,
        DateTime d => TimeWindow.InZone(d, TimeZoneInfo.Local),
        string s when string.IsNullOrWhiteSpace(s) => DateTimeOffset.UtcNow,
        // The round-trip form ("o", what PowerShell and .NET write) has its own parser, several times faster than the
        // general one that reads it to the same value.
        string s when DateTimeOffset.TryParseExact(s, "o", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var d) => d,
        string s when DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var d) => d,
        _ => throw Invalid("ApiCallTimestampInvalid", "Timestamp", value, "a date and time such as 2025-06-01T10:00:00Z"),
    };

    /// <summary>A cost in USD; empty = not given (priced from the price table).</summary>
    public static decimal? Cost(object? value) => Number(value, "ApiCallCostInvalid", "CostUsd", "a number of US dollars such as 0.0123");

    /// <summary>A duration in milliseconds; empty = unknown.</summary>
    public static long? Duration(object? value) =>
        Number(value, "ApiCallDurationInvalid", "DurationMs", "a whole number of milliseconds") is { } d
            ? d == decimal.Truncate(d) ? (long)d : throw Invalid("ApiCallDurationInvalid", "DurationMs", value, "a whole number of milliseconds")
            : null;

    /// <summary>Whether the call succeeded: bool, 1/0, true/false, yes/no; empty = true.</summary>
    public static bool Success(object? value) => value switch
    {
        null => true,
        bool b => b,
        int or long or short or byte => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
        string s when string.IsNullOrWhiteSpace(s) => true,
        string s when s.Trim().ToLowerInvariant() is "true" or "1" or "yes" => true,
        string s when s.Trim().ToLowerInvariant() is "false" or "0" or "no" => false,
        _ => throw Invalid("ApiCallSuccessInvalid", "Success", value, "true or false"),
    };

    private static decimal? Number(object? value, string errorId, string name, string expected) => value switch
    {
        null => null,
        string s when string.IsNullOrWhiteSpace(s) => null,
        string s when decimal.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        decimal d => d,
        double or float or int or long or short or byte or uint or ulong => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        _ => throw Invalid(errorId, name, value, expected),
    };

    private static LogToolsException Invalid(string errorId, string name, object? value, string expected) => new(
        errorId, ErrorKind.InvalidArgument, value,
        $"{name} '{value}' cannot be read; expected {expected}. Nothing was stored for this call.");
}
