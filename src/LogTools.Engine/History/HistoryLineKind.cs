namespace LogTools.Engine.Sessions;

/// <summary>What <see cref="HistoryLineParser"/> found on one line of a history log.</summary>
internal enum HistoryLineKind
{
    /// <summary>A usable API call record (Claude Code assistant entry or LogTools worker api_call line).</summary>
    ApiCall,

    /// <summary>A well-formed line that is not an API call: user and tool entries, summaries, synthetic messages.</summary>
    Other,

    /// <summary>Not one well-formed JSON value, or an API call record whose fields are missing or invalid.</summary>
    Malformed,
}
