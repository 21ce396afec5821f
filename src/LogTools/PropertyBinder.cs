using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;
using System.Reflection;

namespace LogTools;

/// <summary>
/// Fills a cmdlet's parameters from a pipeline object's properties by name, the way PowerShell's by-property-name binding
/// does (the parameter's own name first, then its aliases in order; a parameter given on the command line is kept), at a
/// fraction of its per-object cost: PowerShell looks every name and alias up on every object and runs its conversion and
/// validation machinery per parameter, while this walks the object's properties once against a table built once.
/// </summary>
internal sealed class PropertyBinder<TCmdlet>
    where TCmdlet : PSCmdlet
{
    // A script object's properties (Import-Csv rows, [pscustomobject], ConvertFrom-Json) are its instance members.
    // PowerShell enumerates them only through PSObject.Properties, which merges in type data and adapter members and
    // costs more per object than storing a call, and its internal instance-member collection copies itself into a new
    // list on every enumeration: the ordered table behind that collection is read by index instead, through getters
    // made once; when a PowerShell version lacks them every object takes the public path.
    private static readonly Func<PSObject, OrderedDictionary>? InstanceMembers = InstanceMemberTable();

    private readonly Action<TCmdlet, object?>[] setters;
    private readonly string[] parameterNames;
    private readonly Dictionary<string, (int Parameter, int Rank)> names = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="parameterNames">The parameters a pipeline object may fill; their [Alias] names count too.</param>
    public PropertyBinder(params string[] parameterNames)
    {
        var parameters = parameterNames.Select(name => typeof(TCmdlet).GetProperty(name) ?? throw new ArgumentException($"{typeof(TCmdlet).Name} has no parameter {name}.", nameof(parameterNames))).ToArray();
        this.parameterNames = [.. parameters.Select(parameter => parameter.Name)];
        setters = [.. parameters.Select(Setter)];
        for (var i = 0; i < parameters.Length; i++)
        {
            string[] all = [parameters[i].Name, .. parameters[i].GetCustomAttribute<AliasAttribute>()?.AliasNames ?? []];
            for (var rank = 0; rank < all.Length; rank++)
            {
                names.Add(all[rank], (i, rank));
            }
        }
    }

    /// <summary>Which parameters the command line gave (a pipeline object leaves those alone), for <see cref="Bind"/>; taken once per command.</summary>
    public bool[] Given(IEnumerable<string> commandLine)
    {
        var given = new HashSet<string>(commandLine, StringComparer.OrdinalIgnoreCase);
        return [.. parameterNames.Select(given.Contains)];
    }

    /// <summary>
    /// Sets every parameter not <paramref name="given"/> (see <see cref="Given"/>) from <paramref name="input"/>: the value
    /// of its best-named property (a wrapped value unwrapped, text for a string parameter), or empty when the object has
    /// no such property, so nothing carries over from the previous object.
    /// </summary>
    public void Bind(TCmdlet cmdlet, PSObject input, bool[] given)
    {
        Span<int> ranks = stackalloc int[setters.Length];
        ranks.Fill(int.MaxValue);
        if (InstanceMembers is not null && input.BaseObject is PSCustomObject && IsPlain(input.TypeNames))
        {
            var members = InstanceMembers(input);
            for (var i = 0; i < members.Count; i++)
            {
                Take(cmdlet, members[i] as PSPropertyInfo, given, ranks);
            }
        }
        else
        {
            foreach (var property in input.Properties)
            {
                Take(cmdlet, property, given, ranks);
            }
        }

        for (var i = 0; i < setters.Length; i++)
        {
            if (ranks[i] == int.MaxValue && !given[i])
            {
                setters[i](cmdlet, null);
            }
        }
    }

    /// <summary>Sets the parameter <paramref name="property"/> names, unless a better name of it was already taken.</summary>
    private void Take(TCmdlet cmdlet, PSPropertyInfo? property, bool[] given, Span<int> ranks)
    {
        if (property is not null && names.TryGetValue(property.Name, out var match) && match.Rank < ranks[match.Parameter])
        {
            ranks[match.Parameter] = match.Rank;
            if (!given[match.Parameter])
            {
                setters[match.Parameter](cmdlet, property.Value);
            }
        }
    }

    private static bool IsPlain(IList<string> typeNames) =>
        typeNames.Count == 2 && typeNames[0] == "System.Management.Automation.PSCustomObject" && typeNames[1] == "System.Object";

    /// <summary>A parameter's setter as a delegate (reflection's SetValue per parameter per object was a measurable share).</summary>
    private static Action<TCmdlet, object?> Setter(PropertyInfo parameter)
    {
        var set = parameter.SetMethod ?? throw new ArgumentException($"{typeof(TCmdlet).Name}.{parameter.Name} cannot be set.", nameof(parameter));
        if (parameter.PropertyType == typeof(string))
        {
            var text = set.CreateDelegate<Action<TCmdlet, string?>>();
            return (cmdlet, value) => text(cmdlet, Text(value));
        }

        if (parameter.PropertyType == typeof(object))
        {
            var any = set.CreateDelegate<Action<TCmdlet, object?>>();
            return (cmdlet, value) => any(cmdlet, value is PSObject wrapped ? wrapped.BaseObject : value);
        }

        throw new ArgumentException($"{typeof(TCmdlet).Name}.{parameter.Name} is a {parameter.PropertyType.Name}; a pipeline object fills string and object parameters only.", nameof(parameter));
    }

    private static Func<PSObject, OrderedDictionary>? InstanceMemberTable()
    {
        var collection = typeof(PSObject).GetProperty("InstanceMembers", BindingFlags.Instance | BindingFlags.NonPublic);
        var table = collection?.PropertyType.GetProperty("Members", BindingFlags.Instance | BindingFlags.NonPublic);
        if (collection?.GetMethod is not { } getCollection || table?.GetMethod is not { } getTable || table.PropertyType != typeof(OrderedDictionary))
        {
            return null;
        }

        // The collection's type is internal: its getter is bound once as returning object, the table's read by reflection.
        var members = getCollection.CreateDelegate<Func<PSObject, object>>();
        return input => (OrderedDictionary)getTable.Invoke(members(input), null)!;
    }

    private static string? Text(object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value) switch
    {
        null => null,
        string text => text,
        var plain => (string?)LanguagePrimitives.ConvertTo(plain, typeof(string), CultureInfo.InvariantCulture),
    };
}
