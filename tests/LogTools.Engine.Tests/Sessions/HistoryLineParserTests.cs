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
    [InlineData("{\"type\":\"user\",\"message\":{\"content\":\"no usage here\"}}", "Other")]
    [InlineData("{\"type\":\"summary\",\"summary\":\"x\"}", "Other")]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"model\":\"<synthetic>\",\"usage\":{\"input_tokens\":0,\"output_tokens\":0}},\"timestamp\":\"2025-06-01T10:00:00Z\"}", "Other")]
    [InlineData("{\"type\":\"user\",\"message\":{\"cut", "Malformed")]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":1.5,\"output_tokens\":0}},\"timestamp\":\"2025-06-01T10:00:00Z\"}", "Malformed")]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":0}},\"timestamp\":\"2025-06-01\"}", "Malformed")]
    [InlineData("{\"type\":\"assistant\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":1}},\"timestamp\":\"2025-06-01T10:00:00Z\"}", "Malformed")]
    public void Lines_are_classified_as_ccusage_would_count_them(string line, string expected) =>
        Assert.Equal(expected, Parse(line).Kind.ToString());
}
