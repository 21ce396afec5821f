namespace LogTools.HelpCompiler;

/// <summary>One problem found in a source file, reported against its line.</summary>
internal sealed record Diagnostic(string File, int Line, string Message)
{
    // MSBuild's canonical error format: only "file(line): error: text" is recognised by Exec and shown
    // as a clickable error; the gcc-style "file:line: error:" form is passed through as plain output.
    public override string ToString() => $"{File}({Line}): error: {Message}";
}
