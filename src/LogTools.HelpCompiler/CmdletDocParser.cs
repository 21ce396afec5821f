using Markdig.Syntax;

namespace LogTools.HelpCompiler;

/// <summary>Reads a cmdlet help file in platyPS's markdown schema and checks that it is complete and
/// agrees with itself (SYNTAX against PARAMETERS), since Get-Help shows both.</summary>
internal sealed class CmdletDocParser
{
    private const string Synopsis = "SYNOPSIS";
    private const string Syntax = "SYNTAX";
    private const string Description = "DESCRIPTION";
    private const string Examples = "EXAMPLES";
    private const string Parameters = "PARAMETERS";
    private const string Inputs = "INPUTS";
    private const string Outputs = "OUTPUTS";
    private const string Notes = "NOTES";
    private const string RelatedLinks = "RELATED LINKS";

    private static readonly string[] Sections = [Synopsis, Syntax, Description, Examples, Parameters, Inputs, Outputs, Notes, RelatedLinks];
    private static readonly string[] RequiredSections = [Synopsis, Syntax, Description, Examples, Parameters];

    private readonly DiagnosticSink _sink;

    private CmdletDocParser(DiagnosticSink sink) => _sink = sink;

    /// <summary>Returns the help, or null when the file has errors (reported to <paramref name="sink"/>).</summary>
    public static CmdletHelp? Parse(string text, DiagnosticSink sink)
    {
        var help = new CmdletDocParser(sink).Read(MarkdownText.Parse(text));
        return sink.HasErrors ? null : help;
    }

    private CmdletHelp? Read(MarkdownDocument document)
    {
        var blocks = document.ToList();
        var onlineVersion = blocks.OfType<LeafBlock>().Where(MarkdownText.IsFrontMatter)
            .SelectMany(front => MarkdownText.Code(front).Split('\n'))
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2 && pair[0].Trim().Equals("online version", StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1].Trim())
            .FirstOrDefault(url => url.Length > 0);

        var titles = MarkdownSection.Split(blocks.Where(b => !MarkdownText.IsFrontMatter(b)), 1, out var beforeTitle);
        Unexpected(beforeTitle, "before the '# Cmdlet-Name' title");
        if (titles.Count != 1)
        {
            _sink.Error(titles.Count == 0 ? 1 : titles[1].Line, "a cmdlet help file has exactly one '# Cmdlet-Name' title");
            return null;
        }

        var name = titles[0].Title;
        var nameLine = titles[0].Line;
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || dash == name.Length - 1 || name.Contains(' ', StringComparison.Ordinal))
        {
            _sink.Error(nameLine, $"'{name}' is not a Verb-Noun cmdlet name");
        }

        var fileName = Path.GetFileNameWithoutExtension(_sink.File);
        if (!string.Equals(fileName, name, StringComparison.Ordinal))
        {
            // Related links point at "<Name>.md", so the two must not drift apart.
            _sink.Error(nameLine, $"title '{name}' does not match the file name '{fileName}'");
        }

        var sections = MarkdownSection.Split(titles[0].Blocks, 2, out var beforeSections);
        Unexpected(beforeSections, "between the title and '## SYNOPSIS'");
        var byName = new Dictionary<string, MarkdownSection>();
        foreach (var section in sections)
        {
            var key = section.Title.ToUpperInvariant();
            if (!Sections.Contains(key))
            {
                _sink.Error(section.Line, $"unknown section '## {section.Title}'; expected one of: {string.Join(", ", Sections)}");
            }
            else if (!byName.TryAdd(key, section))
            {
                _sink.Error(section.Line, $"section '## {key}' appears twice");
            }
        }

        foreach (var missing in RequiredSections.Where(s => !byName.ContainsKey(s)))
        {
            _sink.Error(nameLine, $"missing '## {missing}' section");
        }

        IReadOnlyList<Block> Blocks(string key) => byName.TryGetValue(key, out var s) ? s.Blocks : [];
        int Line(string key) => byName.TryGetValue(key, out var s) ? s.Line : nameLine;

        var synopsis = byName.ContainsKey(Synopsis) ? ReadSynopsis(Blocks(Synopsis), Line(Synopsis)) : string.Empty;
        var description = ProseReader.Read(Blocks(Description), _sink);
        if (byName.ContainsKey(Description) && description.Count == 0)
        {
            _sink.Error(Line(Description), "DESCRIPTION is empty");
        }

        var syntax = ReadSyntax(Blocks(Syntax), name);
        var parameters = ReadParameters(Blocks(Parameters));
        var examples = byName.ContainsKey(Examples) ? ReadExamples(Blocks(Examples), Line(Examples)) : [];
        var links = ReadLinks(Blocks(RelatedLinks));
        if (onlineVersion is not null)
        {
            // Get-Help -Online opens the first link that has a URI.
            links.Insert(0, new RelatedLink("Online Version:", onlineVersion));
        }

        if (byName.ContainsKey(Syntax) && byName.ContainsKey(Parameters))
        {
            CheckSyntaxAgainstParameters(syntax, parameters);
        }

        return new CmdletHelp(
            name,
            synopsis,
            description,
            syntax,
            parameters,
            ReadTypes(Blocks(Inputs)),
            ReadTypes(Blocks(Outputs)),
            ProseReader.Read(Blocks(Notes), _sink),
            examples,
            links);
    }

    private string ReadSynopsis(IReadOnlyList<Block> blocks, int line)
    {
        var prose = ProseReader.Read(blocks, _sink);
        if (prose.Count != 1 || prose[0].Kind != ProseKind.Paragraph || prose[0].Text.Length == 0)
        {
            _sink.Error(line, "SYNOPSIS must be a single paragraph");
            return string.Empty;
        }

        return prose[0].Text;
    }

    private List<SyntaxSet> ReadSyntax(IReadOnlyList<Block> blocks, string name)
    {
        var sets = new List<SyntaxSet>();
        var sections = Subsections(blocks, "'### ParameterSetName' heading");
        if (sections.Count == 0 && blocks.Count > 0)
        {
            _sink.Error(MarkdownText.LineOf(blocks[0]), "SYNTAX has no '### ParameterSetName' heading");
        }

        foreach (var section in sections)
        {
            // "### ByName (Default)" marks the default set; the yaml names it just "ByName".
            var setName = section.Title;
            if (setName.EndsWith("(Default)", StringComparison.OrdinalIgnoreCase))
            {
                setName = setName[..^"(Default)".Length].TrimEnd();
            }

            if (section.Blocks is not [CodeBlock code])
            {
                _sink.Error(section.Line, $"parameter set '{setName}' must hold exactly one code block with its syntax line");
                continue;
            }

            if (sets.Any(s => s.Name.Equals(setName, StringComparison.OrdinalIgnoreCase)))
            {
                _sink.Error(section.Line, $"parameter set '{setName}' appears twice");
            }

            var error = SyntaxLineParser.TryParse(MarkdownText.Code(code), out var command, out var parameters);
            if (error is not null)
            {
                _sink.Error(MarkdownText.LineOf(code), $"syntax of '{setName}': {error}");
                continue;
            }

            if (!command.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                _sink.Error(MarkdownText.LineOf(code), $"syntax line is for '{command}', not '{name}'");
            }

            foreach (var duplicate in parameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                _sink.Error(MarkdownText.LineOf(code), $"syntax of '{setName}' lists -{duplicate.Key} twice");
            }

            sets.Add(new SyntaxSet(setName, MarkdownText.LineOf(code), parameters));
        }

        return sets;
    }

    private List<ParameterHelp> ReadParameters(IReadOnlyList<Block> blocks)
    {
        var parameters = new List<ParameterHelp>();
        foreach (var section in Subsections(blocks, "'### -ParameterName' heading"))
        {
            if (section.Title is "CommonParameters" or "WorkflowCommonParameters")
            {
                // Get-Help describes the common parameters itself.
                continue;
            }

            if (section.Title.Length < 2 || section.Title[0] != '-')
            {
                _sink.Error(section.Line, $"parameter heading '### {section.Title}' must be '### -Name' (or '### CommonParameters')");
                continue;
            }

            var name = section.Title[1..];
            var yaml = section.Blocks.OfType<FencedCodeBlock>().Where(IsYaml).ToList();
            var description = ProseReader.Read(section.Blocks.Where(b => b is not FencedCodeBlock fenced || !IsYaml(fenced)), _sink);
            if (description.Count == 0)
            {
                _sink.Error(section.Line, $"parameter -{name} has no description");
            }

            if (yaml.Count == 0)
            {
                _sink.Error(section.Line, $"parameter -{name} has no ```yaml block");
            }

            var metadata = yaml.Select(block => ParameterYamlParser.Parse(MarkdownText.Code(block), MarkdownText.LineOf(block), _sink))
                .OfType<ParameterMetadata>()
                .ToList();
            if (parameters.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                _sink.Error(section.Line, $"parameter -{name} is documented twice");
            }

            parameters.Add(new ParameterHelp(name, description, metadata));
        }

        return parameters;
    }

    private List<ExampleHelp> ReadExamples(IReadOnlyList<Block> blocks, int line)
    {
        var examples = new List<ExampleHelp>();
        var sections = Subsections(blocks, "'### Example 1: Title' heading");
        if (sections.Count == 0)
        {
            _sink.Error(line, "EXAMPLES has no example ('### Example 1: Title' followed by a code block)");
        }

        foreach (var section in sections)
        {
            // The first run of code blocks is what the reader types; everything else explains it.
            var first = section.Blocks.ToList().FindIndex(b => b is CodeBlock);
            if (first < 0)
            {
                _sink.Error(section.Line, $"example '{section.Title}' has no code block");
                continue;
            }

            var code = section.Blocks.Skip(first).TakeWhile(b => b is CodeBlock).Cast<CodeBlock>().ToList();
            var remarks = section.Blocks.Take(first).Concat(section.Blocks.Skip(first + code.Count));
            examples.Add(new ExampleHelp(
                section.Title,
                string.Join("\n\n", code.Select(MarkdownText.Code)),
                ProseReader.Read(remarks, _sink)));
        }

        return examples;
    }

    private List<TypeHelp> ReadTypes(IReadOnlyList<Block> blocks) =>
        Subsections(blocks, "'### TypeName' heading")
            .Select(section => new TypeHelp(section.Title, ProseReader.Read(section.Blocks, _sink)))
            .ToList();

    private List<RelatedLink> ReadLinks(IReadOnlyList<Block> blocks)
    {
        var links = new List<RelatedLink>();
        foreach (var block in blocks)
        {
            List<ParagraphBlock> paragraphs = block switch
            {
                ParagraphBlock paragraph => [paragraph],
                ListBlock list => list.Descendants<ParagraphBlock>().ToList(),
                _ => [],
            };
            var found = paragraphs.Select(p => p.Inline is null ? null : MarkdownText.LinksOnly(p.Inline)).ToList();
            if (paragraphs.Count == 0 || found.Any(f => f is null))
            {
                _sink.Error(MarkdownText.LineOf(block), "RELATED LINKS may hold only links, e.g. [Get-LogStore](Get-LogStore.md)");
                continue;
            }

            links.AddRange(found.SelectMany(f => f!));
        }

        return links;
    }

    private void CheckSyntaxAgainstParameters(List<SyntaxSet> sets, List<ParameterHelp> parameters)
    {
        foreach (var set in sets)
        {
            foreach (var used in set.Parameters)
            {
                var documented = parameters.FirstOrDefault(p => p.Name.Equals(used.Name, StringComparison.OrdinalIgnoreCase));
                if (documented is null)
                {
                    _sink.Error(set.Line, $"syntax of '{set.Name}' lists -{used.Name}, which has no '### -{used.Name}' under PARAMETERS");
                    continue;
                }

                var metadata = documented.For(set.Name);
                if (metadata is null)
                {
                    if (documented.Metadata.Count > 0)
                    {
                        _sink.Error(set.Line, $"syntax of '{set.Name}' lists -{used.Name}, but its yaml 'Parameter Sets' does not include '{set.Name}'");
                    }

                    continue;
                }

                if (metadata.IsSwitch != (used.TypeName is null))
                {
                    _sink.Error(set.Line, metadata.IsSwitch
                        ? $"-{used.Name} is a SwitchParameter but the syntax of '{set.Name}' gives it a type"
                        : $"-{used.Name} is of type {metadata.Type} but the syntax of '{set.Name}' gives it none");
                }

                if (metadata.Required == used.IsOptional)
                {
                    _sink.Error(set.Line, $"-{used.Name} is Required: {metadata.Required} in its yaml but {(used.IsOptional ? "optional" : "required")} in the syntax of '{set.Name}'");
                }

                if (metadata.IsPositional != used.IsPositional)
                {
                    _sink.Error(set.Line, $"-{used.Name} has Position: {metadata.Position} in its yaml but is {(used.IsPositional ? "positional" : "named")} in the syntax of '{set.Name}'");
                }
            }
        }

        foreach (var parameter in parameters)
        {
            foreach (var metadata in parameter.Metadata)
            {
                var claimed = metadata.Sets.Count == 0 ? sets.Select(s => s.Name) : metadata.Sets;
                foreach (var setName in claimed)
                {
                    var set = sets.FirstOrDefault(s => s.Name.Equals(setName, StringComparison.OrdinalIgnoreCase));
                    if (set is null)
                    {
                        _sink.Error(metadata.Line, $"-{parameter.Name} names parameter set '{setName}', which SYNTAX does not have");
                    }
                    else if (!set.Parameters.Any(p => p.Name.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase)))
                    {
                        _sink.Error(metadata.Line, $"-{parameter.Name} is in parameter set '{setName}' by its yaml, but the syntax of that set does not list it");
                    }
                }
            }
        }
    }

    /// <summary>Splits a section at its '###' headings; anything before the first one is an error.</summary>
    private List<MarkdownSection> Subsections(IReadOnlyList<Block> blocks, string expected)
    {
        var subsections = MarkdownSection.Split(blocks, 3, out var preamble);
        Unexpected(preamble, $"before the first {expected}");
        return subsections;
    }

    private void Unexpected(List<Block> blocks, string where)
    {
        if (blocks.Count > 0)
        {
            _sink.Error(MarkdownText.LineOf(blocks[0]), $"unexpected content {where}");
        }
    }

    private static bool IsYaml(FencedCodeBlock block) => string.Equals(block.Info, "yaml", StringComparison.OrdinalIgnoreCase);
}
