namespace LogTools.Engine.Store;

/// <summary>Collects the WHERE conditions of a query and their parameters, so optional filters stay declarative.</summary>
internal sealed class SqlFilter
{
    private readonly List<string> conditions = [];

    private readonly List<(string Name, object? Value)> parameters = [];

    /// <summary>The parameters the conditions name.</summary>
    public (string Name, object? Value)[] Parameters => [.. parameters];

    /// <summary>" WHERE a AND b", or empty when nothing filters.</summary>
    public string Where => conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);

    /// <summary>Adds <paramref name="condition"/>, which names <paramref name="name"/>, when <paramref name="value"/> is given.</summary>
    public SqlFilter Add(string condition, string name, object? value)
    {
        if (value is not null)
        {
            conditions.Add(condition);
            parameters.Add(new(name, value));
        }

        return this;
    }

    /// <summary>Adds "<paramref name="column"/> = id", or a GLOB match when the id has wildcards (<see cref="IdPattern"/>).</summary>
    public SqlFilter AddId(string column, string name, string? id) => id is null ? this
        : IdPattern.IsPattern(id) ? Add($"{column} GLOB {name}", name, IdPattern.ToGlob(id))
        : Add($"{column} = {name}", name, id);

    /// <summary>Adds a condition without parameters when <paramref name="apply"/> is set.</summary>
    public SqlFilter When(bool apply, string condition)
    {
        if (apply)
        {
            conditions.Add(condition);
        }

        return this;
    }

    /// <summary>Adds "<paramref name="column"/> IN (...)" when <paramref name="values"/> has any.</summary>
    public SqlFilter AddIn(string column, string prefix, IReadOnlyCollection<string>? values)
    {
        if (values is { Count: > 0 })
        {
            var names = values.Select((v, i) => $"{prefix}{i}").ToList();
            conditions.Add($"{column} IN ({string.Join(", ", names)})");
            parameters.AddRange(names.Zip(values, (n, v) => (n, (object?)v)));
        }

        return this;
    }
}
