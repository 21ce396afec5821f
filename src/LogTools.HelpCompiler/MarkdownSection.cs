using Markdig.Syntax;

namespace LogTools.HelpCompiler;

/// <summary>The blocks under one heading, up to the next heading of the same or a higher level.</summary>
internal sealed record MarkdownSection(string Title, int Line, IReadOnlyList<Block> Blocks)
{
    /// <summary>Splits blocks at headings of <paramref name="level"/>; blocks before the first heading go to
    /// <paramref name="preamble"/>.</summary>
    public static List<MarkdownSection> Split(IEnumerable<Block> blocks, int level, out List<Block> preamble)
    {
        preamble = [];
        var sections = new List<MarkdownSection>();
        List<Block> current = preamble;
        foreach (var block in blocks)
        {
            if (block is HeadingBlock heading && heading.Level == level)
            {
                current = [];
                sections.Add(new MarkdownSection(MarkdownText.Heading(heading), MarkdownText.LineOf(heading), current));
            }
            else
            {
                current.Add(block);
            }
        }

        return sections;
    }
}
