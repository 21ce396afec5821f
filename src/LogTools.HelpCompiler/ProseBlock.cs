namespace LogTools.HelpCompiler;

/// <summary>A block of descriptive text, flattened from markdown.</summary>
/// <param name="Text">Plain text; '\n' marks a line break the writer must keep.</param>
/// <param name="Depth">List nesting for list items and code inside lists; the level for headings.</param>
/// <param name="Marker">"-" or "1." for the first paragraph of a list item; empty for its later paragraphs.</param>
internal sealed record ProseBlock(ProseKind Kind, string Text, int Depth = 0, string Marker = "")
{
    /// <summary>The block as one MAML paragraph; lists keep a marker because MAML has no list element.</summary>
    public string ToPara() => Kind switch
    {
        ProseKind.ListItem => new string(' ', 2 * Depth) + (Marker.Length > 0 ? Marker + " " : "  ") + Text,
        _ => Text,
    };
}
