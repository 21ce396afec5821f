namespace LogTools.HelpCompiler;

/// <summary>A documented parameter: its description and one metadata block per group of parameter sets.</summary>
internal sealed record ParameterHelp(string Name, IReadOnlyList<ProseBlock> Description, IReadOnlyList<ParameterMetadata> Metadata)
{
    /// <summary>The metadata that applies in <paramref name="set"/>, if any.</summary>
    public ParameterMetadata? For(string set) => Metadata.FirstOrDefault(m => m.AppliesTo(set));
}
