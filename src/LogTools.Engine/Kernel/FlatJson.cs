using System.Text;
using System.Text.Json;

namespace LogTools.Engine;

/// <summary>
/// The JSON of a run's flat records (event payloads, summaries, output paths), written and read with the JSON writer and
/// reader directly: the reflection serializer builds its converter table and member accessors on its first use, which
/// made it most of a fresh process's first Sync-LogSource or Invoke-PortBuild beyond the warm one (issue 16). The text
/// is the serializer's own (same escaping, numbers and nulls); a value of another type than those written here is
/// handed to the serializer.
/// </summary>
internal static class FlatJson
{
    /// <summary>A JSON object of <paramref name="values"/>, in their order.</summary>
    public static string Object(IEnumerable<KeyValuePair<string, object?>> values) => Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var (name, value) in values)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    });

    /// <summary>A JSON object of counts, in their order.</summary>
    public static string Object(IEnumerable<KeyValuePair<string, long>> counts) => Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var (name, count) in counts)
        {
            writer.WriteNumber(name, count);
        }

        writer.WriteEndObject();
    });

    /// <summary>A JSON array of strings.</summary>
    public static string Array(IEnumerable<string> values) => Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    });

    /// <summary>The strings of a JSON array of strings (as <see cref="Array"/> writes it); <c>null</c> is no strings.</summary>
    public static string[] ReadArray(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        if (!reader.Read() || reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected a JSON array of strings, found {reader.TokenType}.");
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.GetString()!);
        }

        return [.. values];
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string text: writer.WriteStringValue(text); break;
            case long number: writer.WriteNumberValue(number); break;
            case int number: writer.WriteNumberValue(number); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            default: JsonSerializer.Serialize(writer, value, value.GetType()); break;
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
