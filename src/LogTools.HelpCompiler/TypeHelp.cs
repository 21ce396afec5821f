namespace LogTools.HelpCompiler;

/// <summary>An INPUTS or OUTPUTS entry: a type name and what it means for this cmdlet.</summary>
internal sealed record TypeHelp(string Name, IReadOnlyList<ProseBlock> Description);
