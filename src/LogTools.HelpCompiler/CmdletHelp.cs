namespace LogTools.HelpCompiler;

/// <summary>The help of one cmdlet, as read from its markdown file.</summary>
internal sealed record CmdletHelp(
    string Name,
    string Synopsis,
    IReadOnlyList<ProseBlock> Description,
    IReadOnlyList<SyntaxSet> Syntax,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<ProseBlock> Notes,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<RelatedLink> Links)
{
    public string Verb => Name[..Name.IndexOf('-', StringComparison.Ordinal)];

    public string Noun => Name[(Name.IndexOf('-', StringComparison.Ordinal) + 1)..];
}
