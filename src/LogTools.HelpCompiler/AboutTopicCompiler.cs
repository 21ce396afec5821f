using System.Text;

namespace LogTools.HelpCompiler;

/// <summary>Turns an about_ markdown file into the text layout Get-Help shows for about topics:
/// upper-case section titles at the margin, text indented by four spaces.</summary>
/// <remarks>Source layout: <c># about_Topic</c>, then <c>## SHORT DESCRIPTION</c>, <c>## LONG DESCRIPTION</c>,
/// then any further <c>##</c> sections (EXAMPLES, SEE ALSO, ...); <c>###</c> headings within a section become
/// sub-titles indented by two spaces.</remarks>
internal static class AboutTopicCompiler
{
    private const string Indent = "    ";
    private const string ShortDescription = "SHORT DESCRIPTION";
    private const string LongDescription = "LONG DESCRIPTION";

    /// <summary>Returns the topic's name and text, or null when the file has errors (reported to <paramref name="sink"/>).</summary>
    public static (string Name, string Text)? Compile(string markdown, DiagnosticSink sink)
    {
        var blocks = MarkdownText.Parse(markdown).Where(b => !MarkdownText.IsFrontMatter(b));
        var titles = MarkdownSection.Split(blocks, 1, out var beforeTitle);
        if (beforeTitle.Count > 0)
        {
            sink.Error(MarkdownText.LineOf(beforeTitle[0]), "unexpected content before the '# about_Topic' title");
        }

        if (titles.Count != 1)
        {
            sink.Error(titles.Count == 0 ? 1 : titles[1].Line, "an about topic has exactly one '# about_Topic' title");
            return null;
        }

        var name = titles[0].Title;
        var fileName = Path.GetFileNameWithoutExtension(sink.File);
        if (!string.Equals(name, fileName, StringComparison.Ordinal))
        {
            // Get-Help finds the topic by its file name, and shows the title: they must agree.
            sink.Error(titles[0].Line, $"title '{name}' does not match the file name '{fileName}'");
        }

        var sections = MarkdownSection.Split(titles[0].Blocks, 2, out var beforeSections);
        if (beforeSections.Count > 0)
        {
            sink.Error(MarkdownText.LineOf(beforeSections[0]), $"unexpected content before '## {ShortDescription}'");
        }

        if (sections.Count < 2
            || !sections[0].Title.Equals(ShortDescription, StringComparison.OrdinalIgnoreCase)
            || !sections[1].Title.Equals(LongDescription, StringComparison.OrdinalIgnoreCase))
        {
            sink.Error(titles[0].Line, $"an about topic starts with '## {ShortDescription}' then '## {LongDescription}'");
            return null;
        }

        var text = new StringBuilder();
        text.Append("TOPIC\n").Append(Indent).Append(name).Append('\n');
        foreach (var section in sections)
        {
            var prose = ProseReader.Read(section.Blocks, sink);
            if (prose.Count == 0)
            {
                sink.Error(section.Line, $"section '## {section.Title}' is empty");
            }

            text.Append('\n').Append(section.Title.ToUpperInvariant()).Append('\n');
            AppendProse(text, prose);
        }

        return sink.HasErrors ? null : (name, text.ToString());
    }

    private static void AppendProse(StringBuilder text, List<ProseBlock> prose)
    {
        for (var i = 0; i < prose.Count; i++)
        {
            var block = prose[i];
            // Items of one list follow each other without a blank line, as in the source.
            var continuesList = i > 0 && prose[i - 1].Kind == ProseKind.ListItem && block.Kind == ProseKind.ListItem && block.Marker.Length > 0;
            if (i > 0 && !continuesList)
            {
                text.Append('\n');
            }

            var lines = block.Kind switch
            {
                ProseKind.Heading => TextWrapper.Wrap(block.Text, Pad(block.Depth <= 3 ? 2 : 4), Pad(block.Depth <= 3 ? 2 : 4)),
                ProseKind.ListItem => TextWrapper.Wrap(
                    block.Text,
                    Indent + Pad(2 * block.Depth) + (block.Marker.Length > 0 ? block.Marker + " " : "  "),
                    Indent + Pad((2 * block.Depth) + Math.Max(block.Marker.Length + 1, 2))),
                // Code is kept verbatim, one level deeper than the text around it.
                ProseKind.Code => block.Text.Split('\n').Select(line => (Indent + Indent + Pad(2 * block.Depth) + line).TrimEnd()),
                _ => TextWrapper.Wrap(block.Text, Indent, Indent),
            };
            foreach (var line in lines)
            {
                text.Append(line).Append('\n');
            }
        }
    }

    private static string Pad(int width) => new(' ', width);
}
