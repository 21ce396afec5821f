using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LogTools.Engine.Mirror;

/// <summary>
/// One log source: its name, where its archives and its active file are on the host, and the folder
/// under the store's pond that mirrors them. Read from a YAML file with exactly the keys name,
/// archived_pattern, active_pattern and pond_path, or built from the same settings as parameters.
/// </summary>
public sealed partial class MirrorSourceConfig
{
    private static readonly string[] Keys = ["name", "archived_pattern", "active_pattern", "pond_path"];

    private MirrorSourceConfig(string name, MirrorPattern archived, MirrorPattern active, string pondPath, string? configPath)
    {
        Name = name;
        ArchivedPattern = archived;
        ActivePattern = active;
        PondPath = pondPath;
        ConfigPath = configPath;
    }

    public string Name { get; }

    public MirrorPattern ArchivedPattern { get; }

    public MirrorPattern ActivePattern { get; }

    /// <summary>The pond folder, relative to the store's pond, with '/' separators.</summary>
    public string PondPath { get; }

    /// <summary>The YAML file the source was read from, or null when it came from parameters.</summary>
    public string? ConfigPath { get; }

    /// <summary>Builds a source from parameters; relative patterns are resolved against <paramref name="baseFolder"/>.</summary>
    public static MirrorSourceConfig Create(string name, string archivedPattern, string activePattern, string pondPath, string baseFolder) =>
        Build(
            new Dictionary<string, string> { ["name"] = name, ["archived_pattern"] = archivedPattern, ["active_pattern"] = activePattern, ["pond_path"] = pondPath },
            key => "parameter -" + string.Concat(key.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..])),
            baseFolder,
            null);

    /// <summary>Reads a YAML source file; relative patterns are resolved against the file's folder.</summary>
    public static MirrorSourceConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new LogToolsException("MirrorConfigNotFound", ErrorKind.ObjectNotFound, path, $"The source configuration file '{path}' does not exist.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        LogToolsException Bad(string id, long line, string? key, string why) => new(
            id, ErrorKind.InvalidData, path, $"'{path}' line {line}{(key is null ? string.Empty : $", key '{key}'")}: {why}");

        try
        {
            using var reader = new StreamReader(path);
            var parser = new Parser(reader);
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                throw Bad("MirrorConfigInvalid", 1, null, $"the file is empty; it needs the keys {string.Join(", ", Keys)}.");
            }

            parser.Consume<DocumentStart>();
            if (!parser.TryConsume<MappingStart>(out _))
            {
                throw Bad("MirrorConfigInvalid", parser.Current!.Start.Line, null, $"expected a mapping with the keys {string.Join(", ", Keys)}.");
            }

            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>();
                if (!Keys.Contains(key.Value))
                {
                    throw Bad("MirrorConfigUnknownKey", key.Start.Line, key.Value, $"unknown key; the keys are {string.Join(", ", Keys)}.");
                }

                if (values.ContainsKey(key.Value))
                {
                    throw Bad("MirrorConfigInvalid", key.Start.Line, key.Value, $"the key is given twice (first on line {lines[key.Value]}).");
                }

                if (!parser.TryConsume<Scalar>(out var value))
                {
                    throw Bad("MirrorConfigInvalid", key.Start.Line, key.Value, "the value must be a single string.");
                }

                values[key.Value] = value.Value;
                lines[key.Value] = key.Start.Line;
            }

            if (!parser.TryConsume<DocumentEnd>(out _) || !parser.Accept<StreamEnd>(out _))
            {
                throw Bad("MirrorConfigInvalid", parser.Current?.Start.Line ?? 1, null, "one source per file: a second document is not allowed.");
            }
        }
        catch (YamlException ex)
        {
            throw new LogToolsException("MirrorConfigInvalid", ErrorKind.InvalidData, path, $"'{path}' line {ex.Start.Line}: not valid YAML ({ex.Message}).", ex);
        }

        var missing = Keys.Where(k => !values.ContainsKey(k)).ToArray();
        if (missing.Length > 0)
        {
            var last = lines.Count == 0 ? 1 : lines.Values.Max();
            throw Bad("MirrorConfigMissingKey", last, missing[0], $"missing key{(missing.Length > 1 ? "s" : string.Empty)} {string.Join(", ", missing)}; every source needs {string.Join(", ", Keys)}.");
        }

        return Build(values, key => $"'{path}' line {lines[key]}, key '{key}'", Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFullPath(path));
    }

    private static MirrorSourceConfig Build(Dictionary<string, string> values, Func<string, string> where, string baseFolder, string? configPath)
    {
        object target = (object?)configPath ?? values["name"];
        var name = values["name"];
        if (!NamePattern().IsMatch(name))
        {
            throw new LogToolsException(
                "MirrorSourceNameInvalid", ErrorKind.InvalidArgument, target,
                $"The source name '{name}' ({where("name")}) is not valid: use letters, digits, '.', '_' and '-', starting with a letter or digit.");
        }

        var pond = values["pond_path"].Replace('\\', '/');
        var segments = pond.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (Path.IsPathRooted(values["pond_path"]) || segments.Length == 0 || segments.Any(s => s is "." or ".."))
        {
            throw new LogToolsException(
                "MirrorPondPathEscapes", ErrorKind.InvalidArgument, target,
                $"The pond path '{values["pond_path"]}' ({where("pond_path")}) must be a relative folder inside the store's pond, without '.' or '..' segments, such as 'logs/{name}'.");
        }

        return new MirrorSourceConfig(
            name,
            MirrorPattern.Parse(values["archived_pattern"], baseFolder, where("archived_pattern"), target),
            MirrorPattern.Parse(values["active_pattern"], baseFolder, where("active_pattern"), target),
            string.Join('/', segments),
            configPath);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
