using System.Text;

namespace LogTools.HelpCompiler;

/// <summary>Compiles <c>&lt;docsDir&gt;/Verb-Noun.md</c> into <c>&lt;outDir&gt;/LogTools.dll-help.xml</c> (cmdlet help,
/// MAML) and <c>&lt;docsDir&gt;/about_*.md</c> into <c>&lt;outDir&gt;/about_*.help.txt</c> (about topics). Other
/// markdown in docs/ (performance figures, format descriptions) is prose for readers and is left alone.</summary>
internal static class Program
{
    private const string Tool = "LogTools.HelpCompiler";
    private const string MamlFileName = "LogTools.dll-help.xml";

    private static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine($"{Tool}: error: usage: {Tool} <docsDir> <outDir>");
            return 2;
        }

        try
        {
            return Run(Path.GetFullPath(args[0]), Path.GetFullPath(args[1]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{Tool}: error: {e.Message}");
            return 1;
        }
    }

    private static bool IsHelpSource(string file) =>
        System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(file), @"^(about_\w+|[A-Z][a-z]+-[A-Z][A-Za-z0-9]+)\.md$");

    private static int Run(string docsDir, string outDir)
    {
        if (!Directory.Exists(docsDir))
        {
            Console.Error.WriteLine($"{Tool}: error: docs folder '{docsDir}' does not exist");
            return 2;
        }

        var diagnostics = new List<Diagnostic>();
        var cmdlets = new List<CmdletHelp>();
        var topics = new List<(string Name, string Text)>();
        foreach (var file in Directory.GetFiles(docsDir, "*.md").Where(IsHelpSource).Order(StringComparer.Ordinal))
        {
            var sink = new DiagnosticSink(file, diagnostics);
            var markdown = File.ReadAllText(file);
            CheckCharacters(markdown, sink);
            if (Path.GetFileName(file).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            {
                if (AboutTopicCompiler.Compile(markdown, sink) is { } topic)
                {
                    topics.Add(topic);
                }
            }
            else if (CmdletDocParser.Parse(markdown, sink) is { } cmdlet)
            {
                cmdlets.Add(cmdlet);
            }
        }

        if (diagnostics.Count > 0)
        {
            foreach (var diagnostic in diagnostics.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line))
            {
                Console.Error.WriteLine(diagnostic);
            }

            return 1;
        }

        Directory.CreateDirectory(outDir);
        // Sorted so the output does not depend on the file system's enumeration order.
        var ordered = cmdlets.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Name, StringComparer.Ordinal);
        var written = OutputFile.WriteIfChanged(Path.Combine(outDir, MamlFileName), MamlWriter.Write(ordered)) ? 1 : 0;
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        foreach (var (name, text) in topics)
        {
            written += OutputFile.WriteIfChanged(Path.Combine(outDir, name + ".help.txt"), utf8.GetBytes(text)) ? 1 : 0;
        }

        Console.WriteLine($"{Tool}: {cmdlets.Count} cmdlet(s), {topics.Count} about topic(s) -> {outDir} ({written} file(s) updated)");
        return 0;
    }

    /// <summary>XML cannot hold most control characters, so they are reported here with their line rather
    /// than surfacing later as an XmlWriter exception.</summary>
    private static void CheckCharacters(string markdown, DiagnosticSink sink)
    {
        var lines = MarkdownText.NormalizeNewLines(markdown).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Any(c => char.IsControl(c) && c != '\t'))
            {
                sink.Error(i + 1, "control character in text");
            }
        }
    }
}
