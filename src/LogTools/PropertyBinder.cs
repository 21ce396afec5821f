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
    // costs more per object than storing a call; its own instance-member collection is internal, so it is read
    // through a delegate made once, and when a PowerShell version lacks it every object takes the public path.
    private static readonly Func<PSObject, IEnumerable<PSMemberInfo>>? InstanceMembers =
        typeof(PSObject).GetProperty("InstanceMembers", BindingFlags.Instance | BindingFlags.NonPublic)?.GetMethod is { } getter
        && typeof(IEnumerable<PSMemberInfo>).IsAssignableFrom(getter.ReturnType)
            ? getter.CreateDelegate<Func<PSObject, IEnumerable<PSMemberInfo>>>()
            : null;

    private readonly PropertyInfo[] parameters;
    private readonly Dictionary<string, (int Parameter, int Rank)> names = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="parameterNames">The parameters a pipeline object may fill; their [Alias] names count too.</param>
    public PropertyBinder(params string[] parameterNames)
    {
        parameters = [.. parameterNames.Select(name => typeof(TCmdlet).GetProperty(name) ?? throw new ArgumentException($"{typeof(TCmdlet).Name} has no parameter {name}.", nameof(parameterNames)))];
        for (var i = 0; i < parameters.Length; i++)
        {
            string[] all = [parameters[i].Name, .. parameters[i].GetCustomAttribute<AliasAttribute>()?.AliasNames ?? []];
            for (var rank = 0; rank < all.Length; rank++)
            {
                names.Add(all[rank], (i, rank));
            }
        }
    }

    /// <summary>
    /// Sets every parameter not in <paramref name="commandLine"/> from <paramref name="input"/>: the value of its
    /// best-named property (a wrapped value unwrapped, text for a string parameter), or its type's empty value when the
    /// object has no such property, so nothing carries over from the previous object.
    /// </summary>
    public void Bind(TCmdlet cmdlet, PSObject input, IReadOnlySet<string> commandLine)
    {
        Span<int> ranks = stackalloc int[parameters.Length];
        ranks.Fill(int.MaxValue);
        var values = new object?[parameters.Length];
        foreach (var property in Properties(input))
        {
            if (property is PSPropertyInfo && names.TryGetValue(property.Name, out var match) && match.Rank < ranks[match.Parameter])
            {
                ranks[match.Parameter] = match.Rank;
                values[match.Parameter] = property.Value;
            }
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (!commandLine.Contains(parameter.Name))
            {
                parameter.SetValue(cmdlet, Convert(values[i], parameter.PropertyType));
            }
        }
    }

    /// <summary>
    /// The object's properties: a plain script object's own (it has no others unless type data names its type), any
    /// other object's through PSObject.Properties.
    /// </summary>
    private static IEnumerable<PSMemberInfo> Properties(PSObject input) =>
        InstanceMembers is not null && input.BaseObject is PSCustomObject && IsPlain(input.TypeNames) ? InstanceMembers(input) : input.Properties;

    private static bool IsPlain(IList<string> typeNames) =>
        typeNames.Count == 2 && typeNames[0] == "System.Management.Automation.PSCustomObject" && typeNames[1] == "System.Object";

    private static object? Convert(object? value, Type type)
    {
        var plain = value is PSObject wrapped ? wrapped.BaseObject : value;
        if (type != typeof(string))
        {
            return plain;
        }

        return plain switch
        {
            null => null,
            string text => text,
            _ => (string?)LanguagePrimitives.ConvertTo(plain, typeof(string), CultureInfo.InvariantCulture),
        };
    }
}
