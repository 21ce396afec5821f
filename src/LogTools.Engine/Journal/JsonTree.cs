using System.Text.Json;

namespace LogTools.Engine.Journal;

/// <summary>
/// The one conversion of parsed JSON into plain values, shared by journal records and stored details: objects
/// through a caller's factory (so each use picks its object type), arrays as object?[], integers as long, other
/// numbers as double, strings, booleans and null.
/// </summary>
public static class JsonTree
{
    public static object? Value(JsonElement element, Func<IReadOnlyList<KeyValuePair<string, object?>>, object> makeObject) => element.ValueKind switch
    {
        JsonValueKind.Object => makeObject(element.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, Value(p.Value, makeObject))).ToList()),
        JsonValueKind.Array => element.EnumerateArray().Select(e => Value(e, makeObject)).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? (object)integer : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
