using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LogTools.Engine.Store;

namespace LogTools.Engine.Sessions;

/// <summary>
/// Model prices: LogTools' embedded, versioned table (Sessions/prices.json), overridable per model by
/// a user price file of the same schema. Lookups resolve provider-specific model ids (dated snapshots,
/// Bedrock and Vertex forms) to the table's ids; see the "note" in prices.json for the exact rules.
/// </summary>
public sealed partial class PriceTable
{
    public const string EmbeddedSource = "embedded";
    public const string UserFileName = "prices.json";

    private static readonly Lazy<PriceTable> EmbeddedTable = new(LoadEmbedded);
    private readonly Dictionary<string, IReadOnlyList<ApiPrice>> byModel;
    private readonly Dictionary<string, string> exact = new(StringComparer.Ordinal);
    private readonly List<ModelPrefix> prefixes = [];
    private readonly Dictionary<string, string?> resolved = new(StringComparer.Ordinal);

    private PriceTable(Dictionary<string, IReadOnlyList<ApiPrice>> byModel, string version, string checkedOn)
    {
        this.byModel = byModel;
        Version = version;
        CheckedOn = checkedOn;
        foreach (var (model, history) in byModel)
        {
            exact[model] = model;
            foreach (var alias in history[0].Aliases)
            {
                if (alias.EndsWith('*'))
                {
                    prefixes.Add(new ModelPrefix(alias[..^1], model));
                }
                else
                {
                    exact[alias] = model;
                }
            }
        }

        prefixes.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
        // As instants in ticks (every validFrom is UTC), in arrays: LINQ over dates is generic code over a value type,
        // compiled at run time in a fresh process's first command (issue 16); sorting longs is precompiled.
        var count = 0;
        foreach (var history in byModel.Values)
        {
            count += history.Count - 1;
        }

        var ticks = new long[count];
        count = 0;
        foreach (var history in byModel.Values)
        {
            for (var i = 1; i < history.Count; i++)
            {
                ticks[count++] = history[i].ValidFrom.UtcTicks;
            }
        }

        Array.Sort(ticks);
        var distinct = 0;
        for (var i = 0; i < ticks.Length; i++)
        {
            if (i == 0 || ticks[i] != ticks[distinct - 1])
            {
                ticks[distinct++] = ticks[i];
            }
        }

        var changes = new DateTimeOffset[distinct];
        ChangeSeconds = new long[distinct];
        for (var i = 0; i < distinct; i++)
        {
            changes[i] = new DateTimeOffset(ticks[i], TimeSpan.Zero);
            ChangeSeconds[i] = changes[i].ToUnixTimeSeconds();
        }

        Changes = changes;
    }

    /// <summary>LogTools' own table, shipped inside the engine.</summary>
    public static PriceTable Embedded => EmbeddedTable.Value;

    /// <summary>The version of the embedded table (or "embedded+user" when overridden).</summary>
    public string Version { get; }

    /// <summary>The date the embedded list prices were checked against the providers' pages.</summary>
    public string CheckedOn { get; }

    /// <summary>Every instant at which some model's price changes: reports split their sums there.</summary>
    public IReadOnlyList<DateTimeOffset> Changes { get; }

    /// <summary><see cref="Changes"/> as unix seconds, in an array: a report reads them without generic code over a value type.</summary>
    internal long[] ChangeSeconds { get; }

    /// <summary>Every price, model by model, oldest first.</summary>
    public IEnumerable<ApiPrice> Prices => byModel.OrderBy(m => m.Key, StringComparer.Ordinal).SelectMany(m => m.Value);

    /// <summary>The user's own price file beside the settings file: &lt;config dir&gt;/LogTools/prices.json.</summary>
    public static string DefaultUserPath() => Path.Combine(Path.GetDirectoryName(UserSettings.DefaultPath())!, UserFileName);

    /// <summary>
    /// The effective table: the embedded one, overridden by the user's default price file when it exists,
    /// then by <paramref name="priceFile"/> (which must exist) when given.
    /// </summary>
    public static PriceTable Effective(string? priceFile)
    {
        var table = Embedded;
        var user = DefaultUserPath();
        if (File.Exists(user))
        {
            table = table.OverriddenBy(Load(user));
        }

        return priceFile is null ? table : table.OverriddenBy(Load(priceFile));
    }

    /// <summary>Reads a price file; a missing or malformed file is a clear error naming the file and what is wrong.</summary>
    public static PriceTable Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new LogToolsException("PriceFileNotFound", ErrorKind.ObjectNotFound, path,
                $"The price file '{path}' does not exist. Give the path of a JSON price file (same schema as Get-ApiPrice shows).");
        }

        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    /// <summary>This table with every model of <paramref name="other"/> replacing (or adding) the same model's entry.</summary>
    public PriceTable OverriddenBy(PriceTable other)
    {
        var merged = new Dictionary<string, IReadOnlyList<ApiPrice>>(byModel, StringComparer.Ordinal);
        foreach (var (model, history) in other.byModel)
        {
            merged[model] = history;
        }

        return new PriceTable(merged, Version + "+user", CheckedOn);
    }

    /// <summary>The table's model id for <paramref name="model"/>, or null when no entry matches.</summary>
    public string? Resolve(string model)
    {
        lock (resolved)
        {
            if (!resolved.TryGetValue(model, out var id))
            {
                id = ResolveUncached(model);
                resolved[model] = id;
            }

            return id;
        }
    }

    /// <summary>The price of <paramref name="model"/> valid at <paramref name="at"/>; null when the model is unpriced.</summary>
    public ApiPrice? Find(string model, DateTimeOffset at)
    {
        if (Resolve(model) is not { } id)
        {
            return null;
        }

        var history = byModel[id];
        // Before a model's first listed date its first price applies: calls are not left unpriced by a late start date.
        var found = history[0];
        foreach (var price in history)
        {
            if (price.ValidFrom <= at)
            {
                found = price;
            }
        }

        return found;
    }

    private string? ResolveUncached(string model)
    {
        var raw = model.Trim().ToLowerInvariant();
        if (exact.TryGetValue(raw, out var id))
        {
            return id;
        }

        var name = raw[(raw.LastIndexOf('/') + 1)..];
        name = BedrockPrefix().Replace(name, string.Empty);
        name = VersionSuffix().Replace(name, string.Empty);
        name = DateSuffix().Replace(name, string.Empty);
        if (exact.TryGetValue(name, out id))
        {
            return id;
        }

        foreach (var prefix in prefixes)
        {
            if (name.StartsWith(prefix.Prefix, StringComparison.Ordinal))
            {
                return prefix.Model;
            }
        }

        return null;
    }

    private static PriceTable LoadEmbedded()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream("LogTools.Engine.Sessions.prices.json")
            ?? throw new InvalidOperationException("The embedded price table is missing from the engine assembly.");
        return Parse(stream, EmbeddedSource);
    }

    private static PriceTable Parse(Stream stream, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(source, "it has no \"models\" array at the top level");
            }

            var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "user";
            var checkedOn = root.TryGetProperty("checkedOn", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : string.Empty;
            var byModel = new Dictionary<string, IReadOnlyList<ApiPrice>>(StringComparer.Ordinal);
            foreach (var entry in models.EnumerateArray())
            {
                var model = Text(entry, "model", source)?.Trim().ToLowerInvariant();
                if (string.IsNullOrEmpty(model))
                {
                    throw Invalid(source, "an entry of \"models\" has no \"model\" id");
                }

                string[] aliases = [];
                if (entry.TryGetProperty("aliases", out var a) && a.ValueKind == JsonValueKind.Array)
                {
                    aliases = new string[a.GetArrayLength()];
                    var k = 0;
                    foreach (var alias in a.EnumerateArray())
                    {
                        aliases[k++] = alias.GetString()?.Trim().ToLowerInvariant() ?? throw Invalid(source, $"an alias of '{model}' is not a string");
                    }
                }

                if (!entry.TryGetProperty("prices", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
                {
                    throw Invalid(source, $"model '{model}' has no \"prices\" array");
                }

                // Oldest first, equal dates in file order. Loops over arrays rather than LINQ over (date, element) pairs:
                // generic code over value types is compiled at run time, in a fresh process's first Add-ApiCall (issue 16).
                var prices = new JsonElement[list.GetArrayLength()];
                var from = new DateTimeOffset[prices.Length];
                var n = 0;
                foreach (var price in list.EnumerateArray())
                {
                    var date = Date(price, model, source);
                    var at = n++;
                    for (; at > 0 && from[at - 1] > date; at--)
                    {
                        from[at] = from[at - 1];
                        prices[at] = prices[at - 1];
                    }

                    from[at] = date;
                    prices[at] = price;
                }

                var history = new ApiPrice[prices.Length];
                for (var i = 0; i < prices.Length; i++)
                {
                    var p = prices[i];
                    history[i] = new ApiPrice
                    {
                        Model = model,
                        Aliases = aliases,
                        ValidFrom = from[i],
                        ValidUntil = i + 1 < from.Length ? from[i + 1] : null,
                        InputPerMTok = Price(p, "input", model, source),
                        OutputPerMTok = Price(p, "output", model, source),
                        CacheReadPerMTok = Price(p, "cacheRead", model, source),
                        CacheWritePerMTok = Price(p, "cacheWrite", model, source),
                        // Providers without a separate 1-hour cache price bill every cache write alike.
                        CacheWrite1hPerMTok = p.TryGetProperty("cacheWrite1h", out _)
                            ? Price(p, "cacheWrite1h", model, source)
                            : Price(p, "cacheWrite", model, source),
                        Source = source,
                    };
                }

                if (!byModel.TryAdd(model, history))
                {
                    throw Invalid(source, $"model '{model}' is listed twice");
                }
            }

            return new PriceTable(byModel, version, checkedOn);
        }
        catch (JsonException ex)
        {
            throw Invalid(source, $"it is not valid JSON ({ex.Message})", ex);
        }
    }

    private static string? Text(JsonElement element, string name, string source) =>
        !element.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw Invalid(source, $"\"{name}\" must be a string, not {value.ValueKind}");

    private static DateTimeOffset Date(JsonElement price, string model, string source)
    {
        var text = Text(price, "validFrom", source);
        return DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? new DateTimeOffset(date, TimeSpan.Zero)
            : throw Invalid(source, $"a price of '{model}' has validFrom '{text}'; expected a date such as 2025-05-22");
    }

    private static decimal Price(JsonElement price, string name, string model, string source) =>
        price.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && d >= 0
            ? d
            : throw Invalid(source, $"a price of '{model}' has no valid \"{name}\" (a number >= 0, USD per million tokens)");

    private static LogToolsException Invalid(string source, string what, Exception? inner = null) => new(
        "PriceFileInvalid", ErrorKind.InvalidData, source,
        $"The price file '{source}' cannot be used: {what}. Fix the file (see Get-ApiPrice for the schema); nothing was changed.", inner);

    /// <summary>An alias ending in '*': models whose names start with <paramref name="Prefix"/>. A class: see ChangeSeconds.</summary>
    private sealed record ModelPrefix(string Prefix, string Model);

    [GeneratedRegex(@"^(?:[a-z]{2,4}\.)?anthropic\.")]
    private static partial Regex BedrockPrefix();

    [GeneratedRegex(@"-v\d+(?::\d+)?$")]
    private static partial Regex VersionSuffix();

    [GeneratedRegex(@"(?:[-@]\d{8}|-\d{4}-\d{2}-\d{2})$")]
    private static partial Regex DateSuffix();
}
