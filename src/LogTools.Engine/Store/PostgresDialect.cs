using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;

namespace LogTools.Engine.Store;

/// <summary>
/// PostgreSQL's spelling of the store's SQL: named parameters with @, 64-bit integers (SQLite's INTEGER), an identity
/// column for SQLite's INTEGER PRIMARY KEY, double precision, bytea, and no WITHOUT ROWID; GLOB through a function of
/// the store; SQLite's triggers as a PL/pgSQL function per trigger (dropping the function drops its trigger); unix
/// seconds of a stored time with extract(epoch). String literals and quoted names are never rewritten. Translations are
/// cached: areas reuse a few hundred statement texts.
/// </summary>
internal sealed partial class PostgresDialect : SqlDialect
{
    private readonly ConcurrentDictionary<string, string> translated = new(StringComparer.Ordinal);

    public static PostgresDialect Instance { get; } = new();

    public override string Translate(string sql) => translated.GetOrAdd(sql, static text =>
    {
        text = Trigger().Replace(text, "CREATE FUNCTION $2() RETURNS trigger LANGUAGE plpgsql AS $$$$ BEGIN\n$5RETURN NULL; END $$$$;\nCREATE TRIGGER $2 AFTER $3 ON $4 FOR EACH ROW EXECUTE FUNCTION $2();");
        text = DropTrigger().Replace(text, "DROP FUNCTION $1() CASCADE;");
        // floor: SQLite's '%s' drops the milliseconds, where a cast of PostgreSQL's fractional epoch would round them,
        // putting a call made in the last half second of a quarter hour into the next one.
        text = UnixSeconds().Replace(text, "floor(extract(epoch FROM CAST($1 AS timestamptz)))");
        text = AnyType().Replace(text, "TEXT NOT NULL");
        var result = new StringBuilder(text.Length + 16);
        var at = 0;
        foreach (Match quoted in Quoted().Matches(text))
        {
            result.Append(Rewrite(text[at..quoted.Index])).Append(quoted.Value);
            at = quoted.Index + quoted.Length;
        }

        return result.Append(Rewrite(text[at..])).ToString();
    });

    public override string ParameterName(string name) => name.StartsWith('$') ? "@" + name[1..] : name;

    public override int ReadUserVersion(DbConnection connection, DbTransaction? transaction) =>
        Sql.Scalar(connection, transaction, "SELECT to_regclass('schema_migrations') IS NOT NULL") is true
            ? Convert.ToInt32(Sql.Scalar(connection, transaction, "SELECT count(*) FROM schema_migrations"))
            : 0;

    /// <remarks>
    /// One prepared statement: existence (a missing table is the error 42P01, which outside a transaction leaves the
    /// connection usable), the key layout and the versions, where asking the catalog first took three more round trips.
    /// The versions keyed by area count and sum as <see cref="ReadUserVersion"/> and StoreSchema.Applied do; a table
    /// of the layout from before per-area versions (one key column) is read as StoreSchema.Applied reads it.
    /// </remarks>
    public override StoreVersions? ReadVersions(DbConnection connection)
    {
        var total = 0;
        long keys = 0;
        var areas = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            Sql.ForEach(
                connection, null,
                """
                SELECT (SELECT i.indnkeyatts FROM pg_index AS i WHERE i.indrelid = CAST('schema_migrations' AS regclass) AND i.indisprimary),
                       area, max(version), count(*)
                FROM schema_migrations GROUP BY area
                """,
                [],
                r =>
                {
                    keys = Convert.ToInt64(r.GetValue(0));
                    areas[r.GetString(1)] = Convert.ToInt32(r.GetInt64(2));
                    total += Convert.ToInt32(r.GetInt64(3));
                },
                prepare: true);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }

        return keys == 1 ? base.ReadVersions(connection) : new StoreVersions(total, areas);
    }

    /// <remarks>A PostgreSQL store was never numbered globally: its version is the count of migrations it records.</remarks>
    public override void WriteUserVersion(DbConnection connection, DbTransaction? transaction, int version)
    {
    }

    public override IReadOnlyList<StoreColumn> Columns(DbConnection connection, DbTransaction? transaction, string table)
    {
        var columns = new List<StoreColumn>();
        Sql.ForEach(
            connection, transaction,
            """
            SELECT a.attname, coalesce(k.position, 0), format_type(a.atttypid, NULL), a.attidentity <> ''
            FROM pg_attribute a LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
            LEFT JOIN LATERAL unnest(CAST(i.indkey AS int2[])) WITH ORDINALITY AS k (attnum, position) ON k.attnum = a.attnum
            WHERE a.attrelid = to_regclass($t) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """,
            [("$t", table)],
            r => columns.Add(new StoreColumn(r.GetString(0), Convert.ToInt32(r.GetValue(1)), KindOf(r.GetString(2)), r.GetBoolean(3))));
        return columns;
    }

    public override string OrderTerm(StoreColumn column) => column.Kind == StoreValueKind.Text ? Quote(column.Name) + " COLLATE \"C\"" : Quote(column.Name);

    /// <remarks>round() of a double rounds halves to even, as the cast does; a value beyond bigint is out of range there, clamped here.</remarks>
    public override long RoundToInteger(double value) => value switch
    {
        >= 9.2233720368547758E18 => long.MaxValue,
        <= -9.2233720368547758E18 => long.MinValue,
        _ => (long)Math.Round(value, MidpointRounding.ToEven),
    };

    /// <remarks>An identity column's sequence knows nothing of ids given explicitly: it is moved past the largest.</remarks>
    public override void AfterCopy(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<StoreColumn> columns)
    {
        foreach (var column in columns.Where(c => c.Identity))
        {
            Sql.Execute(
                connection, transaction, $"SELECT setval(pg_get_serial_sequence($t, $c), (SELECT max({Quote(column.Name)}) FROM {Quote(table)}))",
                ("$t", table), ("$c", column.Name));
        }
    }

    /// <summary>
    /// The store's own functions, created with its schema: SQLite's GLOB (case-sensitive, anchored; * any run,
    /// ? one character, [...] a set, [^...] its complement) as a regular expression.
    /// </summary>
    public const string Functions = """
        CREATE OR REPLACE FUNCTION logtools_glob(pattern text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$
        SELECT '^' || replace(replace(regexp_replace(pattern, '([.+(){}|$\\])', '\\\1', 'g'), '*', '.*'), '?', '.') || '$' $$;
        """;

    private static string Rewrite(string sql)
    {
        sql = Parameter().Replace(sql, "@$1");
        sql = Glob().Replace(sql, "$1 ~ logtools_glob($2)");
        sql = TempSchema().Replace(sql, "pg_temp.");
        sql = ScalarMax().Replace(sql, "greatest(");
        sql = JsonRows().Replace(sql, "json_array_elements(CAST($1 AS json)) AS terms (value)");
        sql = CrossJoinOn().Replace(sql, "CROSS JOIN LATERAL (SELECT * FROM $1 AS $2 WHERE $3 OFFSET 0) AS $2");
        sql = RowIdKey().Replace(sql, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
        sql = Integer().Replace(sql, "BIGINT");
        sql = Real().Replace(sql, "DOUBLE PRECISION");
        sql = Blob().Replace(sql, "BYTEA");
        return WithoutRowId().Replace(sql, "");
    }

    [GeneratedRegex(@"CREATE (TEMP )?TRIGGER (\w+) AFTER (INSERT|UPDATE|DELETE) ON (\w+) BEGIN\n(.*?)END;", RegexOptions.Singleline)]
    private static partial Regex Trigger();

    [GeneratedRegex(@"DROP TRIGGER (?:temp\.)?(\w+);")]
    private static partial Regex DropTrigger();

    [GeneratedRegex(@"strftime\('%s', ([\w.]+)\)")]
    private static partial Regex UnixSeconds();

    [GeneratedRegex(@"\bANY NOT NULL")]
    private static partial Regex AnyType();

    [GeneratedRegex("'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"([\w.]+) GLOB (@\w+)")]
    private static partial Regex Glob();

    /// <summary>SQLite's rows of a JSON array: PostgreSQL's elements, each named value as json_each names it.</summary>
    [GeneratedRegex(@"json_each\((@\w+)\)")]
    private static partial Regex JsonRows();

    /// <summary>
    /// SQLite's CROSS JOIN ... ON (to the end of its line) keeps the left side outside, so each of its rows is one index
    /// range on the right. PostgreSQL's planner would hash the right side whole instead (10x slower on the cost series),
    /// so it becomes a LATERAL subquery, which OFFSET 0 keeps from being flattened back into the join.
    /// </summary>
    [GeneratedRegex(@"CROSS JOIN (\w+) AS (\w+) ON ([^\n]+)")]
    private static partial Regex CrossJoinOn();

    /// <summary>SQLite's max of several values (not the aggregate of one): a comma among its arguments, outside nested calls. (greatest skips NULLs where SQLite's max gives NULL; the areas coalesce.)</summary>
    [GeneratedRegex(@"\bmax\((?=(?:[^(),]|\([^()]*\))*,)")]
    private static partial Regex ScalarMax();

    [GeneratedRegex(@"\btemp\.(?=\w)")]
    private static partial Regex TempSchema();

    [GeneratedRegex(@"\bINTEGER PRIMARY KEY\b")]
    private static partial Regex RowIdKey();

    [GeneratedRegex(@"\bINTEGER\b")]
    private static partial Regex Integer();

    [GeneratedRegex(@"\bREAL\b")]
    private static partial Regex Real();

    [GeneratedRegex(@"\bBLOB\b")]
    private static partial Regex Blob();

    [GeneratedRegex(@"\s*\bWITHOUT ROWID\b")]
    private static partial Regex WithoutRowId();
}
