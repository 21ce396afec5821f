namespace LogTools.HelpCompiler;

/// <summary>A parameter as written in a SYNTAX line; <paramref name="TypeName"/> is null for a switch.</summary>
internal sealed record SyntaxParameter(string Name, string? TypeName, bool IsOptional, bool IsPositional);
