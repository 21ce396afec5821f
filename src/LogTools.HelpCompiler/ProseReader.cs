using Markdig.Syntax;

namespace LogTools.HelpCompiler;

/// <summary>Flattens the markdown blocks of a descriptive section into <see cref="ProseBlock"/>s.</summary>
internal static class ProseReader
{
    public static List<ProseBlock> Read(IEnumerable<Block> blocks, DiagnosticSink sink)
    {
        var prose = new List<ProseBlock>();
        foreach (var block in blocks)
        {
            Add(prose, block, 0, sink);
        }

        return prose;
    }

    private static void Add(List<ProseBlock> prose, Block block, int depth, DiagnosticSink sink)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                prose.Add(new ProseBlock(ProseKind.Paragraph, Paragraph(paragraph, sink)));
                break;
            case CodeBlock code:
                prose.Add(new ProseBlock(ProseKind.Code, MarkdownText.Code(code), depth));
                break;
            case HeadingBlock heading:
                prose.Add(new ProseBlock(ProseKind.Heading, MarkdownText.Heading(heading), heading.Level));
                break;
            case ListBlock list:
                AddList(prose, list, depth, sink);
                break;
            case QuoteBlock quote:
                foreach (var child in quote)
                {
                    Add(prose, child, depth, sink);
                }

                break;
            case LinkReferenceDefinitionGroup:
                // Reference definitions only serve the links that use them.
                break;
            default:
                sink.Error(MarkdownText.LineOf(block), $"unsupported markdown here ({block.GetType().Name}); use paragraphs, lists or code blocks");
                break;
        }
    }

    private static void AddList(List<ProseBlock> prose, ListBlock list, int depth, DiagnosticSink sink)
    {
        var number = list.IsOrdered && int.TryParse(list.OrderedStart, out var start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var marker = list.IsOrdered ? $"{number++}{list.OrderedDelimiter}" : "-";
            foreach (var child in item)
            {
                if (child is ParagraphBlock paragraph)
                {
                    prose.Add(new ProseBlock(ProseKind.ListItem, Paragraph(paragraph, sink), depth, marker));
                    marker = string.Empty;
                }
                else
                {
                    Add(prose, child, depth + 1, sink);
                }
            }
        }
    }

    private static string Paragraph(ParagraphBlock paragraph, DiagnosticSink sink)
    {
        if (paragraph.Inline is null)
        {
            return string.Empty;
        }

        // A paragraph of links on separate lines (a "see also" list) keeps one link per line.
        var links = MarkdownText.LinksOnly(paragraph.Inline);
        var text = links is { Count: > 1 }
            ? string.Join('\n', links.Select(link => link.Text))
            : MarkdownText.Inlines(paragraph.Inline).Trim();
        if (text.Contains("{{", StringComparison.Ordinal) && text.Contains("}}", StringComparison.Ordinal))
        {
            sink.Error(MarkdownText.LineOf(paragraph), "placeholder text '{{ ... }}' left in");
        }

        return text;
    }
}
