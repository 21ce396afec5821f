namespace LogTools.Engine.Sessions;

/// <summary>
/// The token counts of one call or of a sum of calls, under the one set of names that Add-ApiCall takes and that
/// every cost object shows.
/// </summary>
public abstract class ApiTokens
{
    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    /// <summary>Prompt-cache writes with the 5-minute lifetime (and writes whose lifetime the source does not tell).</summary>
    public long CacheWriteTokens { get; init; }

    /// <summary>Prompt-cache writes with the 1-hour lifetime, priced higher (see <see cref="ApiPrice.CacheWrite1hPerMTok"/>).</summary>
    public long CacheWrite1hTokens { get; init; }

    /// <summary>Every token: input, output, cache reads and both kinds of cache writes (checked: a sum beyond 64 bits is an error).</summary>
    public long TotalTokens => TokenCount.Total(InputTokens, OutputTokens, CacheReadTokens, CacheWriteTokens, CacheWrite1hTokens);
}
