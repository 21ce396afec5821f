namespace LogTools.HelpCompiler;

/// <summary>The kinds of text block that help output distinguishes.</summary>
internal enum ProseKind
{
    Paragraph,
    ListItem,
    Code,
    Heading,
}
