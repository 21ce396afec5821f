namespace LogTools.HelpCompiler;

/// <summary>Reads the yaml block of a parameter. platyPS writes flat "Key: value" lines, so a full yaml
/// parser would only add ways to go wrong (it would turn "Named" or "None" into something else).</summary>
internal static class ParameterYamlParser
{
    private const string TypeKey = "Type";
    private const string SetsKey = "Parameter Sets";
    private const string AliasesKey = "Aliases";
    private const string AcceptedValuesKey = "Accepted values";
    private const string RequiredKey = "Required";
    private const string PositionKey = "Position";
    private const string DefaultValueKey = "Default value";
    private const string PipelineKey = "Accept pipeline input";
    private const string WildcardKey = "Accept wildcard characters";

    // platyPS writes "Applicable" for multi-version docs; it says nothing the help needs.
    private const string ApplicableKey = "Applicable";

    private static readonly string[] Keys =
    [
        TypeKey, SetsKey, AliasesKey, AcceptedValuesKey, RequiredKey, PositionKey, DefaultValueKey, PipelineKey, WildcardKey, ApplicableKey,
    ];

    /// <param name="line">The line of the opening fence; the yaml starts on the next one.</param>
    public static ParameterMetadata? Parse(string yaml, int line, DiagnosticSink sink)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var ok = true;
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i].Trim();
            if (text.Length == 0 || text == "---")
            {
                continue;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var key = colon < 0 ? text : text[..colon].Trim();
            var known = Keys.FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (colon < 0 || known is null)
            {
                sink.Error(line + 1 + i, $"unknown parameter yaml key '{key}'; expected one of: {string.Join(", ", Keys)}");
                ok = false;
            }
            else if (!values.TryAdd(known, text[(colon + 1)..].Trim()))
            {
                sink.Error(line + 1 + i, $"'{known}' given twice");
                ok = false;
            }
        }

        string Value(string key, string fallback) => values.TryGetValue(key, out var value) && value.Length > 0 ? value : fallback;

        var type = Value(TypeKey, string.Empty);
        if (type.Length == 0)
        {
            sink.Error(line, "parameter yaml block has no Type");
            ok = false;
        }

        var required = Flag(Value(RequiredKey, "False"), RequiredKey, line, sink);
        var globbing = Flag(Value(WildcardKey, "False"), WildcardKey, line, sink);
        var position = Value(PositionKey, "Named");
        if (!position.Equals("Named", StringComparison.OrdinalIgnoreCase) && !uint.TryParse(position, out _))
        {
            sink.Error(line, $"Position must be Named or a number, not '{position}'");
            ok = false;
        }

        var pipeline = Value(PipelineKey, "False");
        if (!pipeline.StartsWith("True", StringComparison.OrdinalIgnoreCase) && !pipeline.StartsWith("False", StringComparison.OrdinalIgnoreCase))
        {
            sink.Error(line, $"{PipelineKey} must be False or True (ByValue, ByPropertyName), not '{pipeline}'");
            ok = false;
        }

        var sets = Value(SetsKey, "(All)");
        var aliases = Value(AliasesKey, "None");
        if (!ok || required is null || globbing is null)
        {
            return null;
        }

        return new ParameterMetadata(
            line,
            type,
            sets.Equals("(All)", StringComparison.OrdinalIgnoreCase) ? [] : List(sets),
            aliases.Equals("None", StringComparison.OrdinalIgnoreCase) ? "none" : aliases,
            List(Value(AcceptedValuesKey, string.Empty)),
            required.Value,
            position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position,
            Value(DefaultValueKey, "None"),
            pipeline,
            globbing.Value);
    }

    private static bool? Flag(string value, string key, int line, DiagnosticSink sink)
    {
        if (bool.TryParse(value, out var flag))
        {
            return flag;
        }

        sink.Error(line, $"{key} must be True or False, not '{value}'");
        return null;
    }

    private static string[] List(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
