namespace LogTools.HelpCompiler;

/// <summary>One parameter set of the SYNTAX section, with its parameters in written order.</summary>
internal sealed record SyntaxSet(string Name, int Line, IReadOnlyList<SyntaxParameter> Parameters);
