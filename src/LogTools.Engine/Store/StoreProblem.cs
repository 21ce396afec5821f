namespace LogTools.Engine.Store;

/// <summary>One problem Test-LogStore found: what kind, in which file, and what was seen.</summary>
public sealed class StoreProblem
{
    public StoreProblemKind Kind { get; init; }

    /// <summary>The file at fault (a database, a pond file, a conversation file).</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>What was found, in SQLite's or the check's own words.</summary>
    public string Message { get; init; } = string.Empty;
}
