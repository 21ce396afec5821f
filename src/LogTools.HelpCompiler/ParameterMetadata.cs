namespace LogTools.HelpCompiler;

/// <summary>One yaml block of a parameter: how it binds in the sets it names.</summary>
/// <param name="Sets">The parameter set names; empty for "(All)".</param>
/// <param name="Aliases">"none" or the aliases as written.</param>
/// <param name="Position">"named" or the position number.</param>
/// <param name="PipelineInput">As written, e.g. "True (ByValue, ByPropertyName)"; Get-Help shows it verbatim.</param>
internal sealed record ParameterMetadata(
    int Line,
    string Type,
    IReadOnlyList<string> Sets,
    string Aliases,
    IReadOnlyList<string> AcceptedValues,
    bool Required,
    string Position,
    string DefaultValue,
    string PipelineInput,
    bool Globbing)
{
    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";

    public bool IsPositional => Position != "named";

    public bool AppliesTo(string set) => Sets.Count == 0 || Sets.Contains(set, StringComparer.OrdinalIgnoreCase);
}
