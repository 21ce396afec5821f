namespace LogTools.HelpCompiler;

/// <summary>Collects the problems of one source file, so parsing can go on and report them all at once.</summary>
internal sealed class DiagnosticSink(string file, List<Diagnostic> diagnostics)
{
    public string File { get; } = file;

    public bool HasErrors { get; private set; }

    public void Error(int line, string message)
    {
        diagnostics.Add(new Diagnostic(File, line, message));
        HasErrors = true;
    }
}
