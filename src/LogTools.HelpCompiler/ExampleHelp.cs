namespace LogTools.HelpCompiler;

/// <summary>One example: its title, the code to run, and the remarks that explain it.</summary>
internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<ProseBlock> Remarks);
