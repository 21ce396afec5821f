using System.Text.Json;

namespace LogTools.Engine.Journal;

/// <summary>
/// The one conversion of parsed JSON into plain values, shared by journal records and stored details: objects
/// through a caller's factory (so each use picks its object type), arrays as object?[], integers as long, other
/// numbers as double, strings, booleans and null.
/// </summary>
public static class JsonTree
{
    public static object? Value(JsonElement element, Func<IReadOnlyList<KeyValuePair<string, object?>>, object> makeObject)
    {
        switch (element.ValueKind)
        {
            // Loops, not LINQ: LINQ over key/value pairs (a value type) is compiled at run time in every new process.
            case JsonValueKind.Object:
                var entries = new List<KeyValuePair<string, object?>>();
                foreach (var property in element.EnumerateObject())
                {
                    entries.Add(new KeyValuePair<string, object?>(property.Name, Value(property.Value, makeObject)));
                }

                return makeObject(entries);
            case JsonValueKind.Array:
                var items = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(Value(item, makeObject));
                }

                return items.ToArray();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt64(out var integer) ? (object)integer : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
