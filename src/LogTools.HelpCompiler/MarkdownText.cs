using System.Text;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace LogTools.HelpCompiler;

/// <summary>Parsing markdown and turning its inline content into the plain text that help shows.</summary>
internal static class MarkdownText
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    /// <summary>Parses a source file; line endings are normalised first so output never depends on them.</summary>
    public static MarkdownDocument Parse(string text) => Markdown.Parse(NormalizeNewLines(text), Pipeline);

    public static string NormalizeNewLines(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    public static int LineOf(Block block) => block.Line + 1;

    public static string Heading(HeadingBlock heading) =>
        heading.Inline is null ? string.Empty : Inlines(heading.Inline).Trim();

    /// <summary>The verbatim content of a code block or front matter.</summary>
    public static string Code(LeafBlock block)
    {
        var lines = block.Lines;
        var text = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                text.Append('\n');
            }

            text.Append(lines.Lines[i].Slice.ToString());
        }

        return text.ToString().TrimEnd('\n');
    }

    public static bool IsFrontMatter(Block block) => block is YamlFrontMatterBlock;

    /// <summary>Plain text of a paragraph: emphasis dropped, code spans keep their backticks (they tell the
    /// reader what to type), soft breaks become spaces so the help viewer can rewrap.</summary>
    public static string Inlines(ContainerInline container)
    {
        var text = new StringBuilder();
        Append(text, container);
        return text.ToString();
    }

    /// <summary>The links of a paragraph that holds nothing but links, or null when it holds anything else.</summary>
    public static List<RelatedLink>? LinksOnly(ContainerInline container)
    {
        var links = new List<RelatedLink>();
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LinkInline { IsImage: false } link:
                    var label = Inlines(link).Trim();
                    var url = link.Url ?? string.Empty;
                    links.Add(new RelatedLink(label.Length > 0 ? label : url, IsAbsolute(url) ? url : string.Empty));
                    break;
                case AutolinkInline autolink:
                    links.Add(new RelatedLink(autolink.Url, autolink.Url));
                    break;
                case LineBreakInline:
                    break;
                case LiteralInline literal when literal.Content.IsEmptyOrWhitespace():
                    break;
                default:
                    return null;
            }
        }

        return links;
    }

    private static void Append(StringBuilder text, ContainerInline container)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    var fence = new string(code.Delimiter, code.DelimiterCount);
                    text.Append(fence).Append(code.Content).Append(fence);
                    break;
                case LinkInline { IsImage: true } image:
                    Append(text, image);
                    break;
                case LinkInline link:
                    var start = text.Length;
                    Append(text, link);
                    var url = link.Url ?? string.Empty;
                    // A relative link points at another markdown file that does not exist in help; its
                    // label is enough. An absolute one is kept so the reader can still follow it.
                    if (IsAbsolute(url) && text.ToString(start, text.Length - start) != url)
                    {
                        text.Append(" (").Append(url).Append(')');
                    }

                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case LineBreakInline lineBreak:
                    text.Append(lineBreak.IsHard ? '\n' : ' ');
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString());
                    break;
                case HtmlInline html:
                    text.Append(html.Tag);
                    break;
                case ContainerInline nested:
                    Append(text, nested);
                    break;
            }
        }
    }

    private static bool IsAbsolute(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && !uri.IsFile;
}
