using System.Collections.Specialized;
using System.Globalization;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;

namespace LogTools;

/// <summary>
/// Fills a cmdlet's parameters from a pipeline object's properties by name, the way PowerShell's by-property-name binding
/// does (the parameter's own name first, then its aliases in order; a parameter given on the command line is kept; a
/// value that does not convert to the parameter's type leaves it unbound; a missing property leaves its default), at a
/// fraction of its per-object cost: PowerShell looks every name and alias up on every object and runs its conversion and
/// validation machinery per parameter, while this matches the object's property names against a table built once, and
/// for a run of script objects with the same members in the same order (an Import-Csv file) matches them once.
/// </summary>
internal sealed class PropertyBinder<TCmdlet>
    where TCmdlet : PSCmdlet, new()
{
    // A script object's properties (Import-Csv rows, [pscustomobject], ConvertFrom-Json) are its instance members.
    // PowerShell enumerates them only through PSObject.Properties, which merges in type data and adapter members and
    // costs more per object than storing a call, and its internal instance-member collection copies itself into a new
    // list on every enumeration: the ordered table behind that collection is read by index instead, and the object's type
    // names through the internal list the public TypeNames would copy (into a table kept per object), both through
    // getters compiled once; when a PowerShell version lacks them every object takes the public path.
    private static readonly Func<PSObject, OrderedDictionary>? InstanceMembers = Getter<OrderedDictionary>("InstanceMembers", "Members");
    private static readonly Func<PSObject, IList<string>>? InternalTypeNames = Getter<IList<string>>("InternalTypeNames");

    private readonly Func<TCmdlet, object?, bool>[] setters;
    private readonly Action<TCmdlet>[] resets;
    private readonly string[] parameterNames;
    private readonly Dictionary<string, (int Parameter, int Rank)> names = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="parameterNames">The parameters a pipeline object may fill; their [Alias] names count too.</param>
    public PropertyBinder(params string[] parameterNames)
    {
        var parameters = parameterNames.Select(name => typeof(TCmdlet).GetProperty(name) ?? throw new ArgumentException($"{typeof(TCmdlet).Name} has no parameter {name}.", nameof(parameterNames))).ToArray();
        this.parameterNames = [.. parameters.Select(parameter => parameter.Name)];
        var assigners = parameters.Select(Assigner).ToArray();
        setters = [.. parameters.Select((parameter, i) => Setter(parameter, assigners[i]))];
        // A parameter no property fills goes back to its default (as PowerShell restores it between objects): the value a
        // new cmdlet has.
        var fresh = new TCmdlet();
        resets = [.. parameters.Select((parameter, i) => Reset(assigners[i], parameter.GetValue(fresh)))];
        for (var i = 0; i < parameters.Length; i++)
        {
            string[] all = [parameters[i].Name, .. parameters[i].GetCustomAttribute<AliasAttribute>()?.AliasNames ?? []];
            for (var rank = 0; rank < all.Length; rank++)
            {
                names.Add(all[rank], (i, rank));
            }
        }
    }

    /// <summary>The binding of one command's pipeline objects: the parameters its command line gave (a pipeline object leaves those alone).</summary>
    public Filler For(IEnumerable<string> commandLine)
    {
        var given = new HashSet<string>(commandLine, StringComparer.OrdinalIgnoreCase);
        return new Filler(this, [.. parameterNames.Select(given.Contains)]);
    }

    /// <summary>
    /// Which member position fills which parameter, for objects whose members have these names in this order: each
    /// parameter not given takes the value of its best-named property, or empty when there is none (so nothing carries over
    /// from the previous object).
    /// </summary>
    private sealed class Layout(string[] memberNames, int[] targets, int[] empty)
    {
        /// <summary>The members' names, the very strings (an Import-Csv file's rows share its header's).</summary>
        public string[] MemberNames { get; } = memberNames;

        /// <summary>Per member position, the parameter it fills, or -1.</summary>
        public int[] Targets { get; } = targets;

        /// <summary>The parameters no member fills and the command line did not give.</summary>
        public int[] Empty { get; } = empty;
    }

    private Layout Plan(IReadOnlyList<PSMemberInfo?> members, bool[] given)
    {
        Span<int> ranks = stackalloc int[setters.Length];
        Span<int> winners = stackalloc int[setters.Length];
        ranks.Fill(int.MaxValue);
        for (var position = 0; position < members.Count; position++)
        {
            if (members[position] is PSPropertyInfo property && names.TryGetValue(property.Name, out var match) && match.Rank < ranks[match.Parameter])
            {
                ranks[match.Parameter] = match.Rank;
                winners[match.Parameter] = position;
            }
        }

        var targets = new int[members.Count];
        Array.Fill(targets, -1);
        var empty = new List<int>();
        for (var parameter = 0; parameter < setters.Length; parameter++)
        {
            if (given[parameter])
            {
                continue;
            }

            if (ranks[parameter] == int.MaxValue)
            {
                empty.Add(parameter);
            }
            else
            {
                targets[winners[parameter]] = parameter;
            }
        }

        return new Layout([.. members.Select(member => member?.Name ?? string.Empty)], targets, [.. empty]);
    }

    /// <summary>One command's binding state: what its command line gave, and the member layout of the last script object.</summary>
    internal sealed class Filler(PropertyBinder<TCmdlet> binder, bool[] given)
    {
        private Layout? last;
        private IList<string>? plainTypeNames;

        /// <summary>
        /// Sets every parameter not given on the command line from <paramref name="input"/>: the value of its best-named
        /// property (a wrapped value unwrapped, text for a string parameter, converted for another type), or its default when
        /// the object has no such property or its value does not convert. False when no property of the object set a
        /// parameter, which PowerShell's own binding reports as InputObjectNotBound.
        /// </summary>
        public bool Bind(TCmdlet cmdlet, PSObject input)
        {
            if (InstanceMembers is not null && input.BaseObject is PSCustomObject && IsPlain(input))
            {
                var members = InstanceMembers(input);
                if (last is { } layout && TryFill(cmdlet, members, layout) is { } filled)
                {
                    return filled;
                }

                var all = new PSMemberInfo?[members.Count];
                for (var i = 0; i < all.Length; i++)
                {
                    all[i] = members[i] as PSMemberInfo;
                }

                last = binder.Plan(all, given);
                return Fill(cmdlet, all, last);
            }

            PSMemberInfo?[] properties = [.. input.Properties];
            return Fill(cmdlet, properties, binder.Plan(properties, given));
        }

        /// <summary>
        /// Fills from members laid out as <paramref name="layout"/> says, and tells whether a member set a parameter; null
        /// (leaving a refill to the caller) when they are not laid out so.
        /// </summary>
        private bool? TryFill(TCmdlet cmdlet, OrderedDictionary members, Layout layout)
        {
            var expected = layout.MemberNames;
            if (members.Count != expected.Length)
            {
                return null;
            }

            var filled = false;
            var targets = layout.Targets;
            for (var i = 0; i < expected.Length; i++)
            {
                // Ordinal: a member named in another case is another layout, planned again (names match case-insensitively there).
                if (members[i] is not PSMemberInfo member || !(ReferenceEquals(member.Name, expected[i]) || string.Equals(member.Name, expected[i], StringComparison.Ordinal)))
                {
                    return null;
                }

                if (targets[i] >= 0)
                {
                    if (member is not PSPropertyInfo property)
                    {
                        return null;
                    }

                    filled |= binder.Set(cmdlet, targets[i], property.Value);
                }
            }

            Clear(cmdlet, layout);
            return filled;
        }

        private bool Fill(TCmdlet cmdlet, PSMemberInfo?[] members, Layout layout)
        {
            var filled = false;
            for (var i = 0; i < members.Length; i++)
            {
                if (layout.Targets[i] >= 0)
                {
                    filled |= binder.Set(cmdlet, layout.Targets[i], ((PSPropertyInfo)members[i]!).Value);
                }
            }

            Clear(cmdlet, layout);
            return filled;
        }

        private void Clear(TCmdlet cmdlet, Layout layout)
        {
            foreach (var parameter in layout.Empty)
            {
                binder.resets[parameter](cmdlet);
            }
        }

        /// <summary>
        /// A script object without type data of its own (only then are its instance members all its properties). Objects
        /// made alike share one type-name list, so the check is a comparison with the last list found plain.
        /// </summary>
        private bool IsPlain(PSObject input)
        {
            var typeNames = InternalTypeNames is null ? input.TypeNames : InternalTypeNames(input);
            if (ReferenceEquals(typeNames, plainTypeNames))
            {
                return true;
            }

            if (typeNames.Count == 2 && typeNames[0] == "System.Management.Automation.PSCustomObject" && typeNames[1] == "System.Object")
            {
                plainTypeNames = typeNames;
                return true;
            }

            return false;
        }
    }

    /// <summary>Sets a parameter from a property's value; false (the parameter back at its default) when the value does not convert to its type.</summary>
    private bool Set(TCmdlet cmdlet, int parameter, object? value)
    {
        if (setters[parameter](cmdlet, value))
        {
            return true;
        }

        resets[parameter](cmdlet);
        return false;
    }

    /// <summary>A parameter's setter as a delegate (reflection's SetValue per parameter per object was a measurable share).</summary>
    private static Func<TCmdlet, object?, bool> Setter(PropertyInfo parameter, Action<TCmdlet, object?> typed)
    {
        if (parameter.PropertyType == typeof(string))
        {
            // A collection is no text: PowerShell's binding refuses it (a list of names is not a name) and so does this.
            return (cmdlet, value) =>
            {
                var plain = value is PSObject wrapped ? wrapped.BaseObject : value;
                if (plain is System.Collections.IList)
                {
                    return false;
                }

                typed(cmdlet, Text(plain));
                return true;
            };
        }

        if (parameter.PropertyType == typeof(object))
        {
            return (cmdlet, value) =>
            {
                typed(cmdlet, value is PSObject wrapped ? wrapped.BaseObject : value);
                return true;
            };
        }

        // Any other type converts as PowerShell's parameter binding converts (LanguagePrimitives in the current culture; a
        // collection is no scalar); a value that does not convert leaves the parameter unbound, as there.
        var type = parameter.PropertyType;
        return (cmdlet, value) =>
        {
            var plain = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (plain is null || type.IsInstanceOfType(plain))
            {
                typed(cmdlet, plain);
                return true;
            }

            if (plain is System.Collections.IList || !LanguagePrimitives.TryConvertTo(plain, type, CultureInfo.CurrentCulture, out var converted))
            {
                return false;
            }

            typed(cmdlet, converted);
            return true;
        };
    }

    /// <summary>Puts a parameter back at <paramref name="value"/>, its default.</summary>
    private static Action<TCmdlet> Reset(Action<TCmdlet, object?> assign, object? value) => cmdlet => assign(cmdlet, value);

    /// <summary>
    /// Assigns an already converted value to a parameter: its setter as a typed delegate, not a compiled expression (an
    /// expression compiled twice per parameter added about 20 ms to a fresh process's first Add-ApiCall: 185 → 165 ms,
    /// median of six).
    /// </summary>
    private static Action<TCmdlet, object?> Assigner(PropertyInfo parameter)
    {
        var set = parameter.SetMethod ?? throw new ArgumentException($"{typeof(TCmdlet).Name}.{parameter.Name} cannot be set.", nameof(parameter));
        return (Action<TCmdlet, object?>)typeof(PropertyBinder<TCmdlet>).GetMethod(nameof(TypedAssigner), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(parameter.PropertyType).Invoke(null, [set])!;
    }

    private static Action<TCmdlet, object?> TypedAssigner<T>(MethodInfo set)
    {
        var assign = set.CreateDelegate<Action<TCmdlet, T>>();
        return (cmdlet, value) => assign(cmdlet, (T)value!);
    }

    /// <summary>A chain of PSObject's non-public properties read by a compiled getter (reflection's Invoke per object cost a share), or null when one is missing.</summary>
    private static Func<PSObject, T>? Getter<T>(params string[] chain)
    {
        var input = Expression.Parameter(typeof(PSObject));
        Expression value = input;
        foreach (var name in chain)
        {
            if (value.Type.GetProperty(name, BindingFlags.Instance | BindingFlags.NonPublic) is not { GetMethod: not null } property)
            {
                return null;
            }

            value = Expression.Property(value, property);
        }

        return typeof(T).IsAssignableFrom(value.Type) ? Expression.Lambda<Func<PSObject, T>>(Expression.Convert(value, typeof(T)), input).Compile() : null;
    }

    private static string? Text(object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value) switch
    {
        null => null,
        string text => text,
        var plain => (string?)LanguagePrimitives.ConvertTo(plain, typeof(string), CultureInfo.InvariantCulture),
    };
}
