using System.Data.Common;
using System.Globalization;
using System.Text;
using LogTools.Engine.Store;

namespace LogTools.Engine.Sessions;

/// <summary>
/// Cost reports from the trigger-kept aggregates, exact to the row:
/// <list type="bullet">
/// <item>Periods are local calendar periods (any zone); every real offset is a whole number of quarter
/// hours, so a period's quarter-aligned part is a signed sum of UTC day, hour and quarter blocks of
/// api_call_series: whole UTC days, minus the part of the first day before the start, plus the part
/// of the last day before the end; each part is read from whichever side of its day is shorter.</item>
/// <item>Parts of a range not aligned to a quarter hour (a -Since of 10:07) are read from api_calls.</item>
/// <item>Ranges are also split where a price changes, so each sum is priced with the price valid then.</item>
/// <item>Task, worker, session and machine come from api_call_quarters (a worker's task from the Telemetry area, WorkerLedger.TasksOfWorkers).</item>
/// </list>
/// </summary>
public sealed class ApiCostReport
{
    private const long Quarter = 900;
    private const long Hour = 3600;
    private const long Day = 86400;

    private readonly LogStore store;
    private readonly PriceTable prices;
    private readonly bool includeArchive;
    private readonly SortedSet<string> unpriced = new(StringComparer.Ordinal);

    public ApiCostReport(LogStore store, PriceTable prices, bool includeArchive = false)
    {
        this.store = store;
        this.prices = prices;
        this.includeArchive = includeArchive;
    }

    /// <summary>Models met by the last <see cref="Run"/> that have calls without a given cost and no price.</summary>
    public IReadOnlyCollection<string> UnpricedModels => unpriced;

    /// <summary>
    /// The report over [<paramref name="since"/>, <paramref name="until"/>) (open ends: all stored calls).
    /// Ungrouped, it is one row even when there are no calls; grouped, one row per period or key with calls.
    /// </summary>
    public IReadOnlyList<ApiCostRow> Run(DateTimeOffset? since, DateTimeOffset? until, ApiCostGroup groupBy, TimeZoneInfo zone)
    {
        TimeWindow.Between(since, until);
        try
        {
            return Sums(since, until, groupBy, zone);
        }
        catch (OverflowException e)
        {
            throw new LogToolsException("ApiCostOverflow", ErrorKind.InvalidData, store.Path,
                $"A token total of this report does not fit in a 64-bit count: the store '{store.Path}' holds implausible token counts. Report a shorter window or group it.", e);
        }
    }

    /// <remarks>
    /// The store's database is read on one connection throughout (on a server, one pooled connection and its reset per
    /// report, not one per statement); an archive, on a connection of its own each time it is read.
    /// </remarks>
    private List<ApiCostRow> Sums(DateTimeOffset? since, DateTimeOffset? until, ApiCostGroup groupBy, TimeZoneInfo zone)
    {
        IReadOnlyList<StoreDatabase> archives = includeArchive ? [.. LogArchive.Databases(store)] : [];
        return store.Database.Read(connection => Sums(connection, archives, since, until, groupBy, zone));
    }

    private List<ApiCostRow> Sums(DbConnection main, IReadOnlyList<StoreDatabase> archives, DateTimeOffset? since, DateTimeOffset? until, ApiCostGroup groupBy, TimeZoneInfo zone)
    {
        unpriced.Clear();
        void EachDatabase(Action<DbConnection> read)
        {
            read(main);
            foreach (var archive in archives)
            {
                archive.Read(connection =>
                {
                    read(connection);
                    return true;
                });
            }
        }

        var calendar = CalendarUnitOf(groupBy) is { } unit ? new CalendarPeriod(unit, zone) : null;
        var data = since is null || until is null ? DataRange(EachDatabase) : null;
        var start = since ?? data?.Start;
        var end = until ?? data?.End;
        var periods = new List<(string? Label, DateTimeOffset Start, DateTimeOffset End)>();
        if (start is { } s && end is { } e && s < e)
        {
            if (calendar is null)
            {
                periods.Add((null, s, e));
            }
            else
            {
                for (var p = calendar.StartOf(s); p < e; p = calendar.Next(p))
                {
                    periods.Add((calendar.Label(p), p < s ? s : p, calendar.Next(p) > e ? e : calendar.Next(p)));
                }
            }
        }

        var sums = new Dictionary<(int Period, string? Key), Sum>();
        var tasks = groupBy == ApiCostGroup.Task ? TasksOfWorkers([store.Database, .. archives]) : null;
        void Add(int period, string dimension, string model, long[] values, DateTimeOffset pricedAt)
        {
            if (values[0] == 0)
            {
                return;
            }

            var key = groupBy switch
            {
                ApiCostGroup.Day or ApiCostGroup.Week or ApiCostGroup.Month => periods[period].Label,
                ApiCostGroup.Model => model,
                ApiCostGroup.Machine => dimension,
                ApiCostGroup.Task => tasks!.GetValueOrDefault(dimension) ?? ApiCostRow.NoKey,
                ApiCostGroup.None => null,
                _ => dimension.Length == 0 ? ApiCostRow.NoKey : dimension,
            };
            if (!sums.TryGetValue((period, key), out var sum))
            {
                sums[(period, key)] = sum = new Sum();
            }

            sum.Add(values, Price(model, values, pricedAt));
        }

        var (blocks, raw) = Split(periods);
        EachDatabase(connection =>
        {
            if (groupBy is ApiCostGroup.None or ApiCostGroup.Day or ApiCostGroup.Week or ApiCostGroup.Month or ApiCostGroup.Model)
            {
                ReadSeries(connection, blocks, (i, model, values) => Add(blocks[i].Period, string.Empty, model, values, FromSeconds(blocks[i].Start)));
            }
            else
            {
                foreach (var block in blocks)
                {
                    ReadQuarters(connection, groupBy, block, (dimension, model, values) => Add(block.Period, dimension, model, values, FromSeconds(block.Start)));
                }
            }

            foreach (var range in raw)
            {
                ReadRows(connection, groupBy, range, (dimension, model, values) => Add(range.Period, dimension, model, values, range.Start));
            }
        });

        var rows = new List<ApiCostRow>();
        if (groupBy == ApiCostGroup.None)
        {
            sums.TryGetValue((0, null), out var total);
            rows.Add(Row(groupBy, null, start, end, total ?? new Sum(), zone));
            return rows;
        }

        foreach (var ((period, key), sum) in sums.OrderBy(x => x.Key.Period).ThenBy(x => x.Key.Key, StringComparer.Ordinal))
        {
            rows.Add(Row(groupBy, key, periods[period].Start, periods[period].End, sum, zone));
        }

        return rows;
    }

    private static ApiCostRow Row(ApiCostGroup groupBy, string? key, DateTimeOffset? start, DateTimeOffset? end, Sum sum, TimeZoneInfo zone) => new()
    {
        GroupBy = groupBy,
        Key = key,
        Start = start is { } s ? TimeZoneInfo.ConvertTime(s, zone) : null,
        End = end is { } e ? TimeZoneInfo.ConvertTime(e, zone) : null,
        Calls = sum.Calls,
        InputTokens = sum.Input,
        OutputTokens = sum.Output,
        CacheReadTokens = sum.CacheRead,
        CacheWriteTokens = sum.CacheWrite,
        CacheWrite1hTokens = sum.CacheWrite1h,
        KnownCostUsd = sum.Known,
        UnpricedCalls = sum.Unpriced,
    };

    /// <summary>The known cost of one sum of calls and how many of its calls are unpriced.</summary>
    private (decimal Known, long Unpriced) Price(string model, long[] v, DateTimeOffset at)
    {
        var known = v[10] / 1_000_000_000m;
        var toPrice = v[0] - v[9];
        if (toPrice == 0)
        {
            return (known, 0);
        }

        if (prices.Find(model, at) is not { } price)
        {
            unpriced.Add(model);
            return (known, toPrice);
        }

        return (known + price.Cost(v[5], v[6], v[7], v[8], v[12]), 0);
    }

    /// <summary>Quarter-aligned blocks (unix seconds) for the aggregates, split at price changes; the rest for the rows.</summary>
    private (List<(int Period, long Start, long End)> Blocks, List<(int Period, DateTimeOffset Start, DateTimeOffset End)> Raw) Split(
        List<(string? Label, DateTimeOffset Start, DateTimeOffset End)> periods)
    {
        var blocks = new List<(int, long, long)>();
        var raw = new List<(int, DateTimeOffset, DateTimeOffset)>();
        // Loops, not LINQ, over value types in this report: LINQ over a value type is compiled at run time in every new
        // process (no ReadyToRun image holds framework generics over framework value types), and most reports are a first call.
        var changes = new long[prices.Changes.Count];
        for (var c = 0; c < changes.Length; c++)
        {
            changes[c] = prices.Changes[c].ToUnixTimeSeconds();
        }

        for (var i = 0; i < periods.Count; i++)
        {
            var (_, s, e) = periods[i];
            var a = CeilingQuarter(s);
            var b = FloorQuarter(e);
            if (a >= b)
            {
                raw.Add((i, s, e));
                continue;
            }

            if (FromSeconds(a) > s)
            {
                raw.Add((i, s, FromSeconds(a)));
            }

            if (FromSeconds(b) < e)
            {
                raw.Add((i, FromSeconds(b), e));
            }

            foreach (var cut in changes)
            {
                if (cut > a && cut < b)
                {
                    blocks.Add((i, a, cut));
                    a = cut;
                }
            }

            blocks.Add((i, a, b));
        }

        return (blocks, raw);
    }

    private static void ReadSeries(DbConnection connection, List<(int Period, long Start, long End)> blocks, Action<int, string, long[]> add)
    {
        if (blocks.Count == 0)
        {
            return;
        }

        // A block is whole UTC days minus the part of its first day before its start plus the part of its
        // last day before its end. Neighbouring periods share a boundary, so each distinct part ("unit") is summed once.
        var units = new List<Dictionary<(int Level, long Slot), int>>();
        var unitOf = new Dictionary<(long, long), int>();
        var parts = new List<(int Unit, int Sign)>[blocks.Count];
        int Unit((long, long) key, Action<Dictionary<(int, long), int>> terms)
        {
            if (!unitOf.TryGetValue(key, out var index))
            {
                var signs = new Dictionary<(int, long), int>();
                terms(signs);
                unitOf[key] = index = units.Count;
                units.Add(signs);
            }

            return index;
        }

        for (var i = 0; i < blocks.Count; i++)
        {
            var (_, start, end) = blocks[i];
            parts[i] = [];
            if (start / Day < end / Day)
            {
                parts[i].Add((Unit((start / Day, end / Day), t => Blocks(t, 0, start / Day, end / Day, 1)), 1));
            }

            foreach (var (at, sign) in new[] { (start, -1), (end, 1) })
            {
                if (at % Day != 0)
                {
                    parts[i].Add((Unit((-1, at), t => DayPrefix(t, at, 1)), sign));
                }
            }
        }

        // Each aggregate row is read once, in runs of neighbouring slots (for days in a row, one range of the primary key),
        // and summed here into every unit that counts it, with the unit's sign: a join per unit made one index seek per
        // unit, and PostgreSQL sums 64-bit integers as numeric, several times slower than reading the rows.
        var countedIn = new Dictionary<(int Level, long Slot), List<(int Unit, int Sign)>>();
        for (var u = 0; u < units.Count; u++)
        {
            foreach (var (slot, sign) in units[u])
            {
                if (sign == 0)
                {
                    continue;
                }

                if (!countedIn.TryGetValue(slot, out var counted))
                {
                    countedIn[slot] = counted = [];
                }

                counted.Add((u, sign));
            }
        }

        if (countedIn.Count == 0)
        {
            return;
        }

        var ranges = new StringBuilder("[");
        (int Level, long From, long To)? run = null;
        var slots = new (int Level, long Slot)[countedIn.Count];
        countedIn.Keys.CopyTo(slots, 0);
        Array.Sort(slots);
        foreach (var (level, slot) in slots)
        {
            if (run is { } r && r.Level == level && r.To == slot)
            {
                run = r with { To = slot + 1 };
                continue;
            }

            Append(run);
            run = (level, slot, slot + 1);
        }

        Append(run);
        ranges[^1] = ']';

        void Append((int Level, long From, long To)? r)
        {
            if (r is { } x)
            {
                ranges.Append(CultureInfo.InvariantCulture, $"[{x.Level},{x.From},{x.To}],");
            }
        }

        var unitSums = units.Select(_ => new Dictionary<string, long[]>(StringComparer.Ordinal)).ToArray();
        // The ranges are unpacked once (MATERIALIZED), and CROSS JOIN keeps them outside: each is one range on the primary key.
        Sql.ForEach(connection, null, $"""
            WITH r (level, first, last) AS MATERIALIZED (
                SELECT CAST(value ->> 0 AS INTEGER), CAST(value ->> 1 AS INTEGER), CAST(value ->> 2 AS INTEGER) FROM json_each($ranges))
            SELECT a.level, a.slot, a.model, {string.Join(", ", CostMigrations.SumColumns.Select(c => "a." + c))}
            FROM r CROSS JOIN api_call_series AS a ON a.level = r.level AND a.slot >= r.first AND a.slot < r.last
            """, [("$ranges", ranges.ToString())], row =>
            {
                var model = row.GetString(2);
                foreach (var (unit, sign) in countedIn[((int)row.GetInt64(0), row.GetInt64(1))])
                {
                    var sum = SumsOf(unitSums[unit], model, row.FieldCount - 3);
                    // The aggregate columns are NOT NULL; read in place, without an array per row.
                    for (var v = 0; v < sum.Length; v++)
                    {
                        sum[v] = checked(sum[v] + (sign * row.GetInt64(3 + v)));
                    }
                }
            }, prepare: true);

        for (var i = 0; i < blocks.Count; i++)
        {
            var byModel = new Dictionary<string, long[]>(StringComparer.Ordinal);
            foreach (var (unit, sign) in parts[i])
            {
                foreach (var (model, values) in unitSums[unit])
                {
                    var sum = SumsOf(byModel, model, values.Length);
                    for (var v = 0; v < values.Length; v++)
                    {
                        sum[v] = checked(sum[v] + (sign * values[v]));
                    }
                }
            }

            foreach (var (model, values) in byModel)
            {
                add(i, model, values);
            }
        }
    }

    /// <summary>A model's sums (a new array of zeros the first time); they are added checked, so a total beyond 64 bits is an error.</summary>
    private static long[] SumsOf(Dictionary<string, long[]> sums, string model, int width)
    {
        if (!sums.TryGetValue(model, out var sum))
        {
            sums[model] = sum = new long[width];
        }

        return sum;
    }

    private static void ReadQuarters(DbConnection connection, ApiCostGroup groupBy, (int Period, long Start, long End) block, Action<string, string, long[]> add)
    {
        var columns = string.Join(", ", CostMigrations.SumColumns.Select(c => $"sum({c})"));
        Sql.ForEach(connection, null, $"""
            SELECT {Dimension(groupBy)}, model, {columns} FROM api_call_quarters
            WHERE quarter >= $a AND quarter < $b GROUP BY 1, 2
            """, [("$a", block.Start / Quarter), ("$b", block.End / Quarter)], r => add(r.GetString(0), r.GetString(1), Values(r)));
    }

    private static void ReadRows(DbConnection connection, ApiCostGroup groupBy, (int Period, DateTimeOffset Start, DateTimeOffset End) range, Action<string, string, long[]> add)
    {
        var dimension = groupBy is ApiCostGroup.Machine or ApiCostGroup.Worker or ApiCostGroup.Task or ApiCostGroup.Session
            ? $"coalesce(r.{Dimension(groupBy)}, '')" : "''";
        Sql.ForEach(connection, null, $"""
            SELECT {dimension}, r.model, {CostMigrations.RowSums("r")} FROM api_calls AS r
            WHERE r.timestamp >= $s AND r.timestamp < $e GROUP BY 1, 2
            """, [("$s", StoreTime.ToText(range.Start)), ("$e", StoreTime.ToText(range.End))], r => add(r.GetString(0), r.GetString(1), Values(r)));
    }

    /// <summary>The calendar unit a grouping counts in, or null for no grouping or a dimension.</summary>
    public static CalendarUnit? CalendarUnitOf(ApiCostGroup groupBy) => groupBy switch
    {
        ApiCostGroup.Day => CalendarUnit.Day,
        ApiCostGroup.Week => CalendarUnit.Week,
        ApiCostGroup.Month => CalendarUnit.Month,
        _ => null,
    };

    private static string Dimension(ApiCostGroup groupBy) => groupBy switch
    {
        ApiCostGroup.Machine => "machine",
        ApiCostGroup.Session => "session_id",
        ApiCostGroup.Worker or ApiCostGroup.Task => "worker_id",
        _ => "''",
    };

    /// <summary>Adds sign × (calls from the start of t's UTC day up to t), from whichever side of the day is shorter.</summary>
    private static void DayPrefix(Dictionary<(int, long), int> signs, long t, int sign)
    {
        var day = t / Day;
        var into = t - day * Day;
        if (into == 0)
        {
            return;
        }

        if (into <= Day / 2)
        {
            var hour = t / Hour;
            Blocks(signs, 1, day * 24, hour, sign);
            Blocks(signs, 2, hour * 4, t / Quarter, sign);
        }
        else
        {
            var hour = (t + Hour - 1) / Hour;
            Bump(signs, (0, day), sign);
            Blocks(signs, 1, hour, (day + 1) * 24, -sign);
            Blocks(signs, 2, t / Quarter, hour * 4, -sign);
        }
    }

    private static void Blocks(Dictionary<(int, long), int> signs, int level, long from, long to, int sign)
    {
        for (var slot = from; slot < to; slot++)
        {
            Bump(signs, (level, slot), sign);
        }
    }

    private static void Bump(Dictionary<(int, long), int> signs, (int, long) key, int sign) => signs[key] = signs.GetValueOrDefault(key) + sign;

    private static (DateTimeOffset Start, DateTimeOffset End)? DataRange(Action<Action<DbConnection>> eachDatabase)
    {
        long? first = null, last = null;
        eachDatabase(connection => Sql.ForEach(connection, null, "SELECT min(slot), max(slot) FROM api_call_series WHERE level = 0", [], r =>
        {
            if (!r.IsDBNull(0))
            {
                first = Math.Min(first ?? long.MaxValue, r.GetInt64(0));
                last = Math.Max(last ?? long.MinValue, r.GetInt64(1));
            }
        }, prepare: true));

        return first is null ? null : (FromSeconds(first.Value * Day), FromSeconds((last!.Value + 1) * Day));
    }

    /// <summary>Each worker's task, from every database read.</summary>
    private static Dictionary<string, string> TasksOfWorkers(IEnumerable<StoreDatabase> databases)
    {
        var tasks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (worker, task) in databases.SelectMany(WorkerLedger.TasksOfWorkers))
        {
            tasks[worker] = task;
        }

        return tasks;
    }

    private static long[] Values(DbDataReader reader)
    {
        var values = new long[reader.FieldCount - 2];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.IsDBNull(i + 2) ? 0 : reader.GetInt64(i + 2);
        }

        return values;
    }

    private static long CeilingQuarter(DateTimeOffset t) => (t.ToUnixTimeMilliseconds() + Quarter * 1000 - 1) / (Quarter * 1000) * Quarter;

    private static long FloorQuarter(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / (Quarter * 1000) * Quarter;

    private static DateTimeOffset FromSeconds(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    private sealed class Sum
    {
        public long Calls, Input, Output, CacheRead, CacheWrite, CacheWrite1h, Unpriced;
        public decimal Known;

        // Checked: a total beyond 64 bits is an error, never a wrapped negative count.
        public void Add(long[] v, (decimal Known, long Unpriced) cost)
        {
            checked
            {
                Calls += v[0];
                Input += v[1];
                Output += v[2];
                CacheRead += v[3];
                CacheWrite += v[4];
                CacheWrite1h += v[11];
                Known += cost.Known;
                Unpriced += cost.Unpriced;
            }
        }
    }
}
