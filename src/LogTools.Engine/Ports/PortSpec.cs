using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LogTools.Engine.Ports;

/// <summary>
/// One port: its folder and what its <c>port.yml</c> says. The name is the port's origin, its folder's path under
/// the ports tree ('/' separated, such as <c>editors/vim</c>). The file is read strictly: an unknown key, a value of
/// the wrong shape or a key given twice is an error naming the file, the line and the key.
/// </summary>
public sealed partial class PortSpec
{
    public const string FileName = "port.yml";

    /// <summary>The build phases, in the order they run.</summary>
    public static IReadOnlyList<string> PhaseNames { get; } = ["fetch", "checksum", "extract", "patch", "configure", "build", "stage", "package"];

    private static readonly string[] Keys = ["name", "version", "depends", "options", "ignore", "phases"];

    private PortSpec(string origin, string version, string folder)
    {
        Origin = origin;
        Version = version;
        Folder = folder;
    }

    /// <summary>The port's name, such as <c>editors/vim</c>.</summary>
    public string Origin { get; }

    public string Version { get; }

    /// <summary>The port's folder (full path).</summary>
    public string Folder { get; }

    /// <summary>The origins this port depends on, in the order given.</summary>
    public IReadOnlyList<string> Depends { get; private set; } = [];

    /// <summary>Build options, by name (part of the checksum).</summary>
    public IReadOnlyDictionary<string, string> Options { get; private set; } = new Dictionary<string, string>();

    /// <summary>Why the port is not built, or null.</summary>
    public string? Ignore { get; private set; }

    /// <summary>The shell command of each phase the port has; a phase not listed is skipped.</summary>
    public IReadOnlyDictionary<string, string> Phases { get; private set; } = new Dictionary<string, string>();

    /// <summary>
    /// The port.yml's stat tuple (<see cref="PortFileStat.Text"/>) taken before it was read, when it vouches for the bytes
    /// read (not racy); the index keeps it with <see cref="ToJson"/>, so an unchanged port.yml is not parsed again.
    /// </summary>
    internal string? Vouched { get; private set; }

    /// <summary>Whether the port.yml was parsed (rather than taken from the index).</summary>
    internal bool Parsed { get; private set; }

    /// <summary>Throws PortNameInvalid unless <paramref name="origin"/> is a relative name of plain segments (no '..', no '\').</summary>
    public static void CheckOrigin(string origin, object target, string where)
    {
        if (!OriginPattern().IsMatch(origin) || origin.Split('/').Any(s => s is "." or ".."))
        {
            throw new LogToolsException(
                "PortNameInvalid", ErrorKind.InvalidArgument, target,
                $"The port name '{origin}' ({where}) is not valid: use segments of letters, digits, '.', '_', '+' and '-' separated by '/', such as 'editors/vim' (no '..', no '\\', not rooted).");
        }
    }

    /// <summary>Reads the port at <paramref name="origin"/> under <paramref name="portsPath"/>.</summary>
    /// <exception cref="LogToolsException">PortNotFound, or the file is not a valid port.yml.</exception>
    public static PortSpec Load(string portsPath, string origin) => Load(portsPath, origin, null);

    /// <summary>
    /// Reads the port at <paramref name="origin"/>, or takes it from <paramref name="cached"/> (what the index keeps: the
    /// <see cref="Vouched"/> tuple and <see cref="ToJson"/>) when the port.yml's tuple is that one and not racy.
    /// </summary>
    /// <exception cref="LogToolsException">PortNotFound, or the file is not a valid port.yml.</exception>
    internal static PortSpec Load(string portsPath, string origin, (string Stat, string Json)? cached)
    {
        var folder = Path.Combine(portsPath, origin);
        var path = Path.Combine(folder, FileName);
        // Taken before the bytes are read, so a change during the read gives a new tuple the next time.
        var stat = PortFileStat.Of(path, follow: true);
        if (stat is null && !File.Exists(path))
        {
            throw new LogToolsException("PortNotFound", ErrorKind.ObjectNotFound, origin, $"There is no port '{origin}': '{path}' does not exist.");
        }

        var vouched = stat is { Racy: false } tuple ? tuple.Text : null;
        if (vouched is not null && cached is { } known && known.Stat == vouched && FromJson(origin, folder, known.Json) is { } kept)
        {
            kept.Vouched = vouched;
            return kept;
        }

        var spec = Parse(path, folder);
        if (spec.Origin != origin)
        {
            throw new LogToolsException(
                "PortNameMismatch", ErrorKind.InvalidData, path,
                $"'{path}': the name '{spec.Origin}' must be the port's folder under the ports tree, '{origin}'. Rename the folder or fix the name.");
        }

        spec.Vouched = vouched;
        spec.Parsed = true;
        return spec;
    }

    /// <summary>What the port.yml says, as the index keeps it (the name is the origin the index row is for).</summary>
    internal string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("version", Version);
            writer.WriteStartArray("depends");
            foreach (var dependency in Depends)
            {
                writer.WriteStringValue(dependency);
            }

            writer.WriteEndArray();
            if (Ignore is not null)
            {
                writer.WriteString("ignore", Ignore);
            }

            foreach (var (name, map) in new[] { ("options", Options), ("phases", Phases) })
            {
                writer.WriteStartObject(name);
                foreach (var (key, value) in map)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // The spec ToJson wrote, or null when the text is not that (the port.yml is then parsed).
    private static PortSpec? FromJson(string origin, string folder, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            Dictionary<string, string> Map(string name)
            {
                // A loop, not ToDictionary over JsonProperty (a value type): see Given.
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var property in root.GetProperty(name).EnumerateObject())
                {
                    map.Add(property.Name, property.Value.GetString()!);
                }

                return map;
            }

            var depends = new List<string>();
            foreach (var depend in root.GetProperty("depends").EnumerateArray())
            {
                depends.Add(depend.GetString()!);
            }

            return new PortSpec(origin, root.GetProperty("version").GetString()!, Path.GetFullPath(folder))
            {
                Depends = depends,
                Options = new SortedDictionary<string, string>(Map("options"), StringComparer.Ordinal),
                Ignore = root.TryGetProperty("ignore", out var ignore) ? ignore.GetString() : null,
                Phases = Map("phases"),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static PortSpec Parse(string path, string folder)
    {
        LogToolsException Bad(string id, Mark at, string? key, string why) => new(
            id, ErrorKind.InvalidData, path, $"'{path}' line {at.Line}{(key is null ? string.Empty : $", key '{key}'")}: {why}");

        var scalars = new Dictionary<string, Given>(StringComparer.Ordinal);
        var depends = new List<string>();
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var phases = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, Scalar>(StringComparer.Ordinal);
        try
        {
            using var reader = new StreamReader(path);
            var parser = new Parser(reader);
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _) || !parser.TryConsume<DocumentStart>(out _) || !parser.TryConsume<MappingStart>(out _))
            {
                throw Bad("PortSpecInvalid", parser.Current?.Start ?? Mark.Empty, null, "expected a mapping with at least the keys name and version.");
            }

            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>();
                if (!Keys.Contains(key.Value))
                {
                    throw Bad("PortSpecUnknownKey", key.Start, key.Value, $"unknown key; the keys are {string.Join(", ", Keys)}.");
                }

                if (!seen.TryAdd(key.Value, key))
                {
                    throw Bad("PortSpecInvalid", key.Start, key.Value, $"the key is given twice (first on line {seen[key.Value].Start.Line}).");
                }

                switch (key.Value)
                {
                    case "depends":
                        if (!parser.TryConsume<SequenceStart>(out _))
                        {
                            throw Bad("PortSpecInvalid", key.Start, key.Value, "the value must be a list of port names, such as [devel/ncurses].");
                        }

                        while (!parser.TryConsume<SequenceEnd>(out _))
                        {
                            var item = parser.Current is Scalar s ? s : throw Bad("PortSpecInvalid", parser.Current!.Start, key.Value, "each dependency must be a port name.");
                            parser.MoveNext();
                            CheckOrigin(item.Value, path, $"'{path}' line {item.Start.Line}, key 'depends'");
                            depends.Add(item.Value);
                        }

                        break;
                    case "options":
                    case "phases":
                        var map = key.Value == "options" ? (IDictionary<string, string>)options : phases;
                        if (!parser.TryConsume<MappingStart>(out _))
                        {
                            throw Bad("PortSpecInvalid", key.Start, key.Value, "the value must be a mapping of names to strings.");
                        }

                        while (!parser.TryConsume<MappingEnd>(out _))
                        {
                            var name = parser.Consume<Scalar>();
                            if (key.Value == "phases" && !PhaseNames.Contains(name.Value))
                            {
                                throw Bad("PortSpecUnknownKey", name.Start, $"phases.{name.Value}", $"unknown phase; the phases are {string.Join(", ", PhaseNames)}.");
                            }

                            if (!parser.TryConsume<Scalar>(out var value))
                            {
                                throw Bad("PortSpecInvalid", name.Start, $"{key.Value}.{name.Value}", "the value must be a single string.");
                            }

                            if (map.ContainsKey(name.Value))
                            {
                                throw Bad("PortSpecInvalid", name.Start, $"{key.Value}.{name.Value}", "the key is given twice.");
                            }

                            map[name.Value] = value.Value;
                        }

                        break;
                    default:
                        if (!parser.TryConsume<Scalar>(out var text))
                        {
                            throw Bad("PortSpecInvalid", key.Start, key.Value, "the value must be a single string.");
                        }

                        scalars[key.Value] = new Given(text.Value, key.Start);
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            throw new LogToolsException("PortSpecInvalid", ErrorKind.InvalidData, path, $"'{path}' line {ex.Start.Line}: not valid YAML ({ex.Message}).", ex);
        }

        foreach (var required in new[] { "name", "version" })
        {
            if (!scalars.TryGetValue(required, out var given) || given.Value.Length == 0)
            {
                throw new LogToolsException("PortSpecMissingKey", ErrorKind.InvalidData, path, $"'{path}', key '{required}': missing; every port needs a name and a version.");
            }
        }

        var origin = scalars["name"].Value;
        CheckOrigin(origin, path, $"'{path}' line {scalars["name"].At.Line}, key 'name'");
        return new PortSpec(origin, scalars["version"].Value, Path.GetFullPath(folder))
        {
            Depends = depends,
            Options = options,
            Ignore = scalars.TryGetValue("ignore", out var ignore) ? ignore.Value : null,
            Phases = phases,
        };
    }

    /// <summary>
    /// A scalar key's value and where the key stands. A class, not a value tuple: the framework's dictionaries over a value
    /// type are compiled at run time in every new process, and a port build is often a process's only command.
    /// </summary>
    private sealed record Given(string Value, Mark At);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+-]*(/[A-Za-z0-9][A-Za-z0-9._+-]*)*$")]
    private static partial Regex OriginPattern();
}
