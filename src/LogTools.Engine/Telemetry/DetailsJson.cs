using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LogTools.Engine.Journal;

namespace LogTools.Engine.Sessions;

/// <summary>
/// Turns a settings snapshot or event details (dictionaries, lists and scalars, as a hashtable holds them) into
/// JSON text. Anything else (a script block, a live object) and cycles are refused with the path of the
/// offending value, so what is stored can always be read back as data (<see cref="Parse"/>).
/// </summary>
public static class DetailsJson
{
    private const int MaxDepth = 64;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>JSON text of <paramref name="value"/>, or null for null.</summary>
    /// <param name="value">The value to serialise.</param>
    /// <param name="parameterName">The parameter it came from (Config, Details): names the error id and the message.</param>
    /// <param name="unwrap">Maps a host's wrapper objects (PowerShell's PSObject) to the value they stand for.</param>
    public static string? Serialize(object? value, string parameterName, Func<object, object?>? unwrap = null)
    {
        if (value is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            new Walk(parameterName, unwrap ?? (v => v)).Write(writer, value, "$", 0);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Stored JSON text read back as a <see cref="DataMap"/>; null for null, and for text that is not a JSON object.</summary>
    public static DataMap? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (DataMap?)JsonTree.Value(document.RootElement, entries => new DataMap(entries))
                : null;
        }
        catch (JsonException)
        {
            return null; // edited by hand into something else: the text stays readable in the *Json property
        }
    }

    private sealed class Walk(string parameterName, Func<object, object?> unwrap)
    {
        // The containers on the path from the root: seeing one again is a cycle.
        private readonly HashSet<object> path = new(ReferenceEqualityComparer.Instance);

        public void Write(Utf8JsonWriter writer, object? raw, string where, int depth)
        {
            var value = raw is null ? null : unwrap(raw);
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    return;
                case string or char or Guid or Uri or Version:
                    writer.WriteStringValue(value.ToString());
                    return;
                case bool b:
                    writer.WriteBooleanValue(b);
                    return;
                case Enum e:
                    writer.WriteStringValue(e.ToString());
                    return;
                case sbyte or byte or short or ushort or int or uint or long:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    return;
                case ulong u:
                    writer.WriteNumberValue(u);
                    return;
                case decimal m:
                    writer.WriteNumberValue(m);
                    return;
                case float or double:
                    var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    if (!double.IsFinite(d))
                    {
                        throw Refuse(value, where, $"the number {d} has no JSON form");
                    }

                    writer.WriteNumberValue(d);
                    return;
                case DateTime t:
                    writer.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture));
                    return;
                case DateTimeOffset o:
                    writer.WriteStringValue(o.ToString("O", CultureInfo.InvariantCulture));
                    return;
                case TimeSpan s:
                    writer.WriteStringValue(s.ToString("c", CultureInfo.InvariantCulture));
                    return;
                case IDictionary or IEnumerable:
                    WriteContainer(writer, raw!, value, where, depth);
                    return;
                default:
                    throw Refuse(value, where, $"a {value.GetType().FullName} is not data (only dictionaries, lists, strings, numbers, booleans, dates and null are)");
            }
        }

        private void WriteContainer(Utf8JsonWriter writer, object raw, object value, string where, int depth)
        {
            if (depth >= MaxDepth)
            {
                throw Refuse(value, where, $"it is nested more than {MaxDepth} levels deep");
            }

            if (!path.Add(raw) | (!ReferenceEquals(raw, value) && !path.Add(value)))
            {
                throw Refuse(value, where, "it contains itself (a cycle)");
            }

            if (value is IDictionary dictionary)
            {
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = Convert.ToString(unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty;
                    writer.WritePropertyName(key);
                    Write(writer, entry.Value, $"{where}.{key}", depth + 1);
                }

                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStartArray();
                var index = 0;
                foreach (var item in (IEnumerable)value)
                {
                    Write(writer, item, $"{where}[{index++}]", depth + 1);
                }

                writer.WriteEndArray();
            }

            path.Remove(raw);
            path.Remove(value);
        }

        private LogToolsException Refuse(object value, string where, string why) => new(
            parameterName + "NotSerializable", ErrorKind.InvalidArgument, value,
            $"The -{parameterName} value at {where} cannot be stored as JSON: {why}. " +
            "Pass plain data (hashtables, arrays, strings, numbers, booleans, dates). Nothing was stored.");
    }
}
