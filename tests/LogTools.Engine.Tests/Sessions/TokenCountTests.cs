using LogTools.Engine.Sessions;

namespace LogTools.Engine.Tests.Sessions;

public sealed class TokenCountTests
{
    public static TheoryData<object?, long> Counts => new()
    {
        { null, 0 }, { "", 0 }, { "  ", 0 }, { "42", 42 }, { " 42 ", 42 }, { 42, 42 }, { 42L, 42 }, { (byte)7, 7 }, { 3.0, 3 },
        { 3.0f, 3 }, { 12m, 12 }, { ulong.MinValue, 0 }, { "9223372036854775807", long.MaxValue }, { (ulong)long.MaxValue, long.MaxValue },
    };

    public static TheoryData<object> NotCounts => new()
    {
        "abc", "1,234", "1 234", "1.5", "1e3", "-5", "+5", "0x10", "99999999999999999999", 1.5, -1, -1L, double.NaN, double.PositiveInfinity,
        9.3e18, ulong.MaxValue, 2.5m, -3m, true, new object(),
    };

    [Theory]
    [MemberData(nameof(Counts))]
    public void Whole_numbers_from_zero_convert_exactly(object? value, long expected) =>
        Assert.Equal(expected, TokenCount.From(value, "InputTokens"));

    [Theory]
    [MemberData(nameof(NotCounts))]
    public void Anything_else_is_an_error_naming_the_property_and_the_value(object value)
    {
        var error = Assert.Throws<LogToolsException>(() => TokenCount.From(value, "OutputTokens"));
        Assert.Equal(("InvalidTokenCount", ErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
        Assert.StartsWith($"OutputTokens '{value}' is not a token count", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_number_text_follows_the_same_rule()
    {
        Assert.True(TokenCount.TryParse("123"u8, out var count));
        Assert.Equal(123, count);
        foreach (var text in new[] { "1.0", "1e3", "-1", "9223372036854775808" })
        {
            Assert.False(TokenCount.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out _), text);
        }
    }

    [Fact]
    public void A_total_beyond_64_bits_is_refused_not_wrapped()
    {
        Assert.Equal(long.MaxValue, TokenCount.Total(long.MaxValue - 4, 1, 1, 1, 1));
        var error = Assert.Throws<LogToolsException>(() => TokenCount.Total(long.MaxValue, long.MaxValue, 0, 0, 0));
        Assert.Equal("InvalidTokenCount", error.ErrorId);
        Assert.IsType<OverflowException>(error.InnerException);

        var call = new ApiCall { Model = "gpt-4o", InputTokens = long.MaxValue, OutputTokens = 1, Timestamp = DateTimeOffset.UtcNow };
        Assert.Equal("InvalidTokenCount", Assert.Throws<LogToolsException>(() => ApiCallStore.Validate(call)).ErrorId);
    }

    [Fact]
    public void A_negative_count_given_to_the_engine_is_refused_with_the_same_id()
    {
        var call = new ApiCall { Model = "gpt-4o", CacheWrite1hTokens = -1, Timestamp = DateTimeOffset.UtcNow };
        var error = Assert.Throws<LogToolsException>(() => ApiCallStore.Validate(call));
        Assert.Equal(("InvalidTokenCount", (object?)-1L), (error.ErrorId, error.Target));
        Assert.StartsWith("CacheWrite1hTokens '-1'", error.Message, StringComparison.Ordinal);
    }
}
