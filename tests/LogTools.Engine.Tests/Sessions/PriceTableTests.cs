using LogTools.Engine.Sessions;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Sessions;

public sealed class PriceTableTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("claude-sonnet-4-20250514", "claude-sonnet-4")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("anthropic/claude-opus-4-1", "claude-opus-4-1")]
    [InlineData("us.anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku")]
    [InlineData("claude-opus-4@20250514", "claude-opus-4")]
    [InlineData("Claude-Haiku-4-5", "claude-haiku-4-5")]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("gpt-4o-2024-05-13", "gpt-4o-2024-05-13")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("gpt-4.1-2025-04-14", "gpt-4.1")]
    [InlineData("o3-2025-04-16", "o3")]
    [InlineData("models/gemini-2.5-pro", "gemini-2.5-pro")]
    [InlineData("gemini-2.5-flash-preview-05-20", "gemini-2.5-flash")]
    [InlineData("gpt-5-mini", "gpt-5-mini")]
    [InlineData("gpt-5-turbo-unknown", null)]
    [InlineData("llama-3", null)]
    public void Model_ids_resolve_exactly_and_by_the_documented_rules(string id, string? expected) =>
        Assert.Equal(expected, PriceTable.Embedded.Resolve(id));

    [Fact]
    public void A_price_applies_from_its_date_and_the_first_one_before_it()
    {
        var table = PriceTable.Embedded;
        Assert.Equal(10m, table.Find("o3", new DateTimeOffset(2025, 6, 9, 23, 59, 59, TimeSpan.Zero))!.InputPerMTok);
        Assert.Equal(2m, table.Find("o3", new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero))!.InputPerMTok);
        Assert.Equal(10m, table.Find("o3", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))!.InputPerMTok);
        Assert.Contains(new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero), table.Changes);
        Assert.Null(table.Find("unknown-model", DateTimeOffset.UtcNow));
        Assert.Equal("2025-11-30", table.CheckedOn);
    }

    [Fact]
    public void A_user_file_replaces_the_entries_of_its_models_only()
    {
        var path = temp.Combine("prices.json");
        File.WriteAllText(path, """
            { "models": [ { "model": "claude-sonnet-4", "prices": [ { "validFrom": "2025-01-01", "input": 1, "output": 2, "cacheRead": 0.1, "cacheWrite": 1.5 } ] },
            { "model": "local-llm", "aliases": ["local-*"], "prices": [ { "validFrom": "2025-01-01", "input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0 } ] } ] }
            """);

        var table = PriceTable.Embedded.OverriddenBy(PriceTable.Load(path));

        Assert.Equal(1m, table.Find("claude-sonnet-4-20250514", DateTimeOffset.UtcNow)!.InputPerMTok);
        Assert.Equal(path, table.Find("claude-sonnet-4", DateTimeOffset.UtcNow)!.Source);
        Assert.Equal("local-llm", table.Resolve("local-qwen-32b"));
        Assert.Equal(15m, table.Find("claude-opus-4-1", DateTimeOffset.UtcNow)!.InputPerMTok);
    }

    [Fact]
    public void Prices_listed_out_of_order_are_read_oldest_first_with_equal_dates_in_file_order()
    {
        var path = temp.Combine("prices.json");
        File.WriteAllText(path, """
            { "models": [
              { "model": "m", "aliases": [" M-Alias "], "prices": [
                { "validFrom": "2025-03-01", "input": 3, "output": 0, "cacheRead": 0, "cacheWrite": 0 },
                { "validFrom": "2025-01-01", "input": 1, "output": 0, "cacheRead": 0, "cacheWrite": 0 },
                { "validFrom": "2025-02-01", "input": 2, "output": 0, "cacheRead": 0, "cacheWrite": 0 },
                { "validFrom": "2025-02-01", "input": 22, "output": 0, "cacheRead": 0, "cacheWrite": 0 } ] },
              { "model": "n", "prices": [
                { "validFrom": "2025-04-01", "input": 4, "output": 0, "cacheRead": 0, "cacheWrite": 0 },
                { "validFrom": "2025-02-01", "input": 5, "output": 0, "cacheRead": 0, "cacheWrite": 0 } ] } ] }
            """);
        static DateTimeOffset Day(int month) => new(2025, month, 1, 0, 0, 0, TimeSpan.Zero);

        var table = PriceTable.Load(path);

        var m = table.Prices.Where(p => p.Model == "m").ToArray();
        Assert.Equal([1m, 2m, 22m, 3m], m.Select(p => p.InputPerMTok));
        Assert.Equal([Day(1), Day(2), Day(2), Day(3)], m.Select(p => p.ValidFrom));
        Assert.Equal([Day(2), Day(2), Day(3), null], m.Select(p => p.ValidUntil));
        Assert.Equal(["m-alias"], m[0].Aliases);
        Assert.Equal(22m, table.Find("M-ALIAS", Day(2).AddDays(14))!.InputPerMTok);
        Assert.Equal([Day(2), Day(3), Day(4)], table.Changes);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{ "models": {} }""")]
    [InlineData("""{ "models": [ { "model": "x", "prices": [ { "validFrom": "yesterday", "input": 1, "output": 1, "cacheRead": 0, "cacheWrite": 0 } ] } ] }""")]
    [InlineData("""{ "models": [ { "model": "x", "prices": [ { "validFrom": "2025-01-01", "input": -1, "output": 1, "cacheRead": 0, "cacheWrite": 0 } ] } ] }""")]
    [InlineData("""{ "models": [ { "model": "x", "prices": [ { "validFrom": "2025-01-01", "input": 1, "output": 1, "cacheRead": 0 } ] } ] }""")]
    public void A_malformed_price_file_is_refused_naming_the_file(string text)
    {
        var path = temp.Combine("bad.json");
        File.WriteAllText(path, text);

        var ex = Assert.Throws<LogToolsException>(() => PriceTable.Load(path));

        Assert.Equal("PriceFileInvalid", ex.ErrorId);
        Assert.Equal(path, ex.Target);
        Assert.Contains(path, ex.Message);
    }
}
