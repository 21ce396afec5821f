using System.Collections.Specialized;

namespace LogTools.Engine.Sessions;

/// <summary>
/// Stored details or settings read back as data: an ordered map (keys ignore case, as in the hashtable they
/// came from) whose values are strings, numbers, booleans, null, object?[] lists and nested maps. Scripts
/// reach into it with member syntax ($e.Details.n), ConvertTo-Json writes it as an object, and its text
/// (Export-Csv, string conversion) is its compact JSON.
/// </summary>
public sealed class DataMap : OrderedDictionary
{
    public DataMap(IEnumerable<KeyValuePair<string, object?>> entries)
        : base(StringComparer.OrdinalIgnoreCase)
    {
        foreach (var (key, value) in entries)
        {
            this[key] = value; // of two keys that differ only in case, the last wins
        }
    }

    public override string ToString() => DetailsJson.Serialize(this, "Details") ?? string.Empty;
}
