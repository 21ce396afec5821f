namespace LogTools.Engine.Sessions;

/// <summary>One price of one model, valid from a date (UTC midnight) until the model's next price. Prices are USD per million tokens.</summary>
public sealed class ApiPrice
{
    public required string Model { get; init; }

    /// <summary>Other ids of the model (an alias ending in * matches by prefix).</summary>
    public required IReadOnlyList<string> Aliases { get; init; }

    public required DateTimeOffset ValidFrom { get; init; }

    /// <summary>When the model's next price starts; null for its current price.</summary>
    public DateTimeOffset? ValidUntil { get; init; }

    public required decimal InputPerMTok { get; init; }

    public required decimal OutputPerMTok { get; init; }

    public required decimal CacheReadPerMTok { get; init; }

    /// <summary>Writes to the 5-minute prompt cache (Anthropic: 1.25 x input).</summary>
    public required decimal CacheWritePerMTok { get; init; }

    /// <summary>Writes to the 1-hour prompt cache (Anthropic: 2 x input); the 5-minute price where the provider has no separate one.</summary>
    public required decimal CacheWrite1hPerMTok { get; init; }

    /// <summary>"embedded" for LogTools' own table, otherwise the path of the user price file it came from.</summary>
    public required string Source { get; init; }

    /// <summary>The cost in USD of the given tokens at this price.</summary>
    public decimal Cost(long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h) =>
        (input * InputPerMTok + output * OutputPerMTok + cacheRead * CacheReadPerMTok + cacheWrite * CacheWritePerMTok + cacheWrite1h * CacheWrite1hPerMTok) / 1_000_000m;
}
