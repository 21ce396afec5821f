using System.Text;
using LogTools.Engine.Sessions;

namespace LogTools.Engine.Tests.Sessions;

public sealed class HistoryLineParserTests
{
    private static (HistoryLineKind Kind, ApiCall? Call, string? Defect) Parse(string line)
    {
        var kind = HistoryLineParser.Parse(Encoding.UTF8.GetBytes(line), "m", "src", out var call, out var defect);
        return (kind, call, defect);
    }

    private static string LongText => string.Concat(Enumerable.Repeat("a \\\"quoted\\\" \\\\ path\\n über 数据 ", 20));

    [Fact]
    public void Long_escaped_text_before_the_usage_does_not_hide_the_fields()
    {
        var line = "{\"message\":{\"id\":\"msg_1\",\"model\":\"claude-opus-4\",\"content\":[{\"type\":\"text\",\"text\":\"" + LongText + "\"}],"
            + "\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"cache_read_input_tokens\":5,\"cache_creation_input_tokens\":6}},"
            + "\"requestId\":\"req_1\",\"costUSD\":0.5,\"type\":\"assistant\",\"timestamp\":\"2025-06-01T10:00:00+02:00\"}";

        var (kind, call, _) = Parse(line);

        Assert.Equal(HistoryLineKind.ApiCall, kind);
        Assert.Equal(("claude-opus-4", 3L, 4L, 5L, 6L, "msg_1", "req_1", 0.5m, "m", "src"),
            (call!.Model, call.InputTokens, call.OutputTokens, call.CacheReadTokens, call.CacheWriteTokens, call.MessageId, call.RequestId, call.CostUsd, call.Machine, call.Source));
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero), call.Timestamp);
    }

    [Theory]
    [InlineData("{\"type\":\"assistant\",\"usage\":1,\"x\":\"unterminated LONGTEXT}")]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"usage\":{}},\"x\":\"LONGTEXT\"} trailing")]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"usage\":{}},\"x\":\"bad \\q escape\"}")]
    [InlineData("[\"usage\"")]
    public void Broken_json_that_mentions_usage_is_malformed_with_its_real_position(string line)
    {
        var (kind, call, defect) = Parse(line.Replace("LONGTEXT", LongText));

        Assert.Equal(HistoryLineKind.Malformed, kind);
        Assert.Null(call);
        Assert.StartsWith("is not a single well-formed JSON value", defect);
    }

    [Theory]
    [InlineData("\uFEFF{\"type\":\"assistant\",\"message\":{\"usage\":{}}}", 1)]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"usage\":{\"input_tokens\":tru}}}", 59)]
    [InlineData("{\"type\":\"assistant\",\"x\":\"LONGTEXT\",\"message\":{\"usage\":{}},}", 0)]
    public void A_json_defect_is_told_by_its_byte_in_the_line_not_in_the_json_reader_s_words(string line, int position)
    {
        line = line.Replace("LONGTEXT", LongText);
        var (_, _, defect) = Parse(line);

        // 0: the line's last byte, past the long text that the parser leaves out of its first, shrunk copy.
        var at = position > 0 ? position : Encoding.UTF8.GetByteCount(line);
        Assert.Equal($"is not a single well-formed JSON value (its JSON is invalid at byte {at} of the line)", defect);
    }

    [Theory]
    [InlineData("{\"type\":\"user\",\"message\":{\"content\":\"no usage here\"}}", "Other")]
    [InlineData("{\"type\":\"summary\",\"summary\":\"x\"}", "Other")]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"model\":\"<synthetic>\",\"usage\":{\"input_tokens\":0,\"output_tokens\":0}},\"timestamp\":\"2025-06-01T10:00:00Z\"}", "Other")]
    [InlineData("{\"type\":\"user\",\"message\":{\"cut", "Malformed")]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":1.5,\"output_tokens\":0}},\"timestamp\":\"2025-06-01T10:00:00Z\"}", "Malformed")]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":0}},\"timestamp\":\"2025-06-01\"}", "Malformed")]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":1}},\"timestamp\":\"2025-06-01T10:00:00Z\"}", "Malformed")]
    public void Lines_are_classified_as_ccusage_would_count_them(string line, string expected) =>
        Assert.Equal(expected, Parse(line).Kind.ToString());

    // Every field of the call the writer gets, in one string, so a test pins the whole record.
    private static string Describe(HistoryLineKind kind, ApiCall? call) => call is null ? kind.ToString() : string.Join("|",
        kind, call.Timestamp.ToString("O", System.Globalization.CultureInfo.InvariantCulture), call.Model, call.InputTokens, call.OutputTokens,
        call.CacheReadTokens, call.CacheWriteTokens, call.CacheWrite1hTokens, call.CostUsd, call.DurationMs, call.Success, call.Machine,
        call.MessageId, call.RequestId, call.WorkerId, call.SessionId, call.Source);

    [Theory]
    // Escapes in the compared and the kept strings; a long text quoting a usage object; usage before model, the 1-hour
    // split before the totals, type and requestId ahead of message.
    [InlineData(
        "{\"type\":\"assist\\u0061nt\",\"requestId\":\"req_\\\"7\\\"\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"LONGTEXT \\\"usage\\\":{\\\"input_tokens\\\":999}\"}],"
        + "\"usage\":{\"cache_creation\":{\"ephemeral_1h_input_tokens\":40,\"ephemeral_5m_input_tokens\":2},\"output_tokens\":4,\"cache_creation_input_tokens\":42,\"service_tier\":\"standard\",\"input_tokens\":3,\"cache_read_input_tokens\":5},"
        + "\"model\":\"claude-\\u006fpus-4\",\"id\":\"msg_\\\\1\"},\"timestamp\":\"2025-06-01T10:00:00.123+02:00\",\"costUSD\":1e-3}",
        "ApiCall|2025-06-01T10:00:00.1230000+02:00|claude-opus-4|3|4|5|2|40|0.001||True|m|msg_\\1|req_\"7\"|||src")]
    // A worker line, its fields in another order than the writer's, with nulls where they are allowed.
    [InlineData(
        "{\"success\":false,\"usage\":{\"output_tokens\":2,\"input_tokens\":1},\"duration_ms\":12,\"cost_usd\":null,\"session_id\":\"s\",\"worker_id\":\"w\\u0031\","
        + "\"request_id\":\"r\",\"message_id\":\"i\",\"model\":\"claude-sonnet-4\",\"timestamp\":\"2025-06-01T10:00:00Z\",\"type\":\"api_call\"}",
        "ApiCall|2025-06-01T10:00:00.0000000+00:00|claude-sonnet-4|1|2|0|0|0||12|False|m|i|r|w1|s|src")]
    // Lines that mention usage and are not API calls: a user entry carrying a usage object, "usage" as a string value,
    // an assistant text that quotes one, a type that only starts like "assistant".
    [InlineData("{\"type\":\"user\",\"toolUseResult\":{\"usage\":{\"input_tokens\":5,\"output_tokens\":1}},\"timestamp\":\"2025-06-01T10:00:00Z\"}", "Other")]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"model\":\"m\",\"content\":[{\"type\":\"text\",\"text\":\"usage\"}]},\"timestamp\":\"2025-06-01T10:00:00Z\"}", "Other")]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"model\":\"m\",\"content\":\"say \\\"usage\\\":{\\\"input_tokens\\\":1,\\\"output_tokens\\\":1}\"},\"timestamp\":\"2025-06-01T10:00:00Z\"}", "Other")]
    [InlineData("{\"type\":\"assistantX\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}},\"timestamp\":\"2025-06-01T10:00:00Z\"}", "Other")]
    [InlineData("{\"type\":7,\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}},\"timestamp\":\"2025-06-01T10:00:00Z\"}", "Other")]
    public void Tricky_lines_give_the_same_records_as_before(string line, string expected)
    {
        var (kind, call, _) = Parse(line.Replace("LONGTEXT", LongText));

        Assert.Equal(expected, Describe(kind, call));
    }
}
