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
        var periods = new List<Period>();
        if (start is { } s && end is { } e && s < e)
        {
            if (calendar is null)
            {
                periods.Add(new Period(null, s, e));
            }
            else
            {
                for (var p = calendar.StartOf(s); p < e; p = calendar.Next(p))
                {
                    periods.Add(new Period(calendar.Label(p), p < s ? s : p, calendar.Next(p) > e ? e : calendar.Next(p)));
                }
            }
        }

        // Each period's sums by key (the ungrouped report's one key: ""). What this report collects is held in
        // collections of reference types, not of value tuples: the framework's collections over a value type are
        // compiled at run time in every new process (no ReadyToRun image may hold them), and most reports are a
        // process's first call (docs/performance.md, issue 16.2).
        var sums = new Dictionary<string, Sum>[periods.Count];
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
            var byKey = sums[period] ??= new Dictionary<string, Sum>(StringComparer.Ordinal);
            if (!byKey.TryGetValue(key ?? string.Empty, out var sum))
            {
                byKey[key ?? string.Empty] = sum = new Sum();
            }

            var known = Price(model, values, pricedAt, out var unpricedCalls);
            sum.Add(values, known, unpricedCalls);
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
            Sum? total = null;
            sums.FirstOrDefault()?.TryGetValue(string.Empty, out total);
            rows.Add(Row(groupBy, null, start, end, total ?? new Sum(), zone));
            return rows;
        }

        for (var period = 0; period < periods.Count; period++)
        {
            if (sums[period] is not { } byKey)
            {
                continue;
            }

            var keys = new string[byKey.Count];
            byKey.Keys.CopyTo(keys, 0);
            Array.Sort(keys, StringComparer.Ordinal);
            foreach (var key in keys)
            {
                rows.Add(Row(groupBy, key, periods[period].Start, periods[period].End, byKey[key], zone));
            }
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

    /// <summary>The known cost of one sum of calls, and how many of its calls are unpriced.</summary>
    private decimal Price(string model, long[] v, DateTimeOffset at, out long unpricedCalls)
    {
        var known = v[10] / 1_000_000_000m;
        var toPrice = v[0] - v[9];
        unpricedCalls = 0;
        if (toPrice == 0)
        {
            return known;
        }

        if (prices.Find(model, at) is not { } price)
        {
            unpriced.Add(model);
            unpricedCalls = toPrice;
            return known;
        }

        return known + price.Cost(v[5], v[6], v[7], v[8], v[12]);
    }

    /// <summary>Quarter-aligned blocks (unix seconds) for the aggregates, split at price changes; the rest for the rows.</summary>
    private (List<Block> Blocks, List<RawRange> Raw) Split(List<Period> periods)
    {
        var blocks = new List<Block>();
        var raw = new List<RawRange>();
        var changes = prices.ChangeSeconds;
        for (var i = 0; i < periods.Count; i++)
        {
            var s = periods[i].Start;
            var e = periods[i].End;
            var a = CeilingQuarter(s);
            var b = FloorQuarter(e);
            if (a >= b)
            {
                raw.Add(new RawRange(i, s, e));
                continue;
            }

            if (FromSeconds(a) > s)
            {
                raw.Add(new RawRange(i, s, FromSeconds(a)));
            }

            if (FromSeconds(b) < e)
            {
                raw.Add(new RawRange(i, FromSeconds(b), e));
            }

            foreach (var cut in changes)
            {
                if (cut > a && cut < b)
                {
                    blocks.Add(new Block(i, a, cut));
                    a = cut;
                }
            }

            blocks.Add(new Block(i, a, b));
        }

        return (blocks, raw);
    }

    private static void ReadSeries(DbConnection connection, List<Block> blocks, Action<int, string, long[]> add)
    {
        if (blocks.Count == 0)
        {
            return;
        }

        // A block is whole UTC days minus the part of its first day before its start plus the part of its
        // last day before its end. Neighbouring periods share a boundary, so each distinct part ("unit") is summed once:
        // its terms (an aggregate row's level and slot, with a sign) are listed once, under the unit's index.
        var terms = new List<Term>();
        var unitOf = new Dictionary<string, UnitIndex>(StringComparer.Ordinal);
        var parts = new List<Part>[blocks.Count];
        int Unit(string key, Action<int> listTerms)
        {
            if (!unitOf.TryGetValue(key, out var unit))
            {
                unitOf[key] = unit = new UnitIndex(unitOf.Count);
                listTerms(unit.Value);
            }

            return unit.Value;
        }

        for (var i = 0; i < blocks.Count; i++)
        {
            var start = blocks[i].Start;
            var end = blocks[i].End;
            var blockParts = parts[i] = [];
            if (start / Day < end / Day)
            {
                var days = string.Concat("d", (start / Day).ToString(CultureInfo.InvariantCulture), "-", (end / Day).ToString(CultureInfo.InvariantCulture));
                blockParts.Add(new Part(Unit(days, u => Blocks(terms, u, 0, start / Day, end / Day, 1)), 1));
            }

            void Prefix(long at, int sign)
            {
                if (at % Day != 0)
                {
                    blockParts.Add(new Part(Unit("p" + at.ToString(CultureInfo.InvariantCulture), u => DayPrefix(terms, u, at, 1)), sign));
                }
            }

            Prefix(start, -1);
            Prefix(end, 1);
        }

        // Each aggregate row is read once, in runs of neighbouring slots (for days in a row, one range of the primary key),
        // and summed here into every unit that counts it, with the unit's sign: a join per unit made one index seek per
        // unit, and PostgreSQL sums 64-bit integers as numeric, several times slower than reading the rows. The terms
        // sorted by slot and unit, those of one slot and unit merged, give each slot's units in one run of the list.
        terms.Sort(Term.Order);
        var merged = new List<Term>(terms.Count);
        foreach (var term in terms)
        {
            if (merged.Count > 0 && Term.Order(merged[^1], term) == 0)
            {
                merged[^1] = merged[^1] with { Sign = merged[^1].Sign + term.Sign };
            }
            else
            {
                merged.Add(term);
            }
        }

        merged.RemoveAll(t => t.Sign == 0);
        if (merged.Count == 0)
        {
            return;
        }

        // Each slot's first term in merged, and the ranges of neighbouring slots of one level.
        var slots = new List<Term>();
        var firstTerm = new int[merged.Count + 1];
        var ranges = new StringBuilder("[");
        Term? runFrom = null;
        long runTo = 0;
        for (var k = 0; k < merged.Count; k++)
        {
            var term = merged[k];
            if (slots.Count > 0 && slots[^1].Level == term.Level && slots[^1].Slot == term.Slot)
            {
                continue;
            }

            firstTerm[slots.Count] = k;
            slots.Add(term);
            if (runFrom is not null && runFrom.Level == term.Level && runTo == term.Slot)
            {
                runTo = term.Slot + 1;
                continue;
            }

            AppendRange();
            runFrom = term;
            runTo = term.Slot + 1;
        }

        firstTerm[slots.Count] = merged.Count;
        AppendRange();
        ranges[^1] = ']';

        void AppendRange()
        {
            if (runFrom is not null)
            {
                ranges.Append('[').Append(runFrom.Level.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(runFrom.Slot.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(runTo.ToString(CultureInfo.InvariantCulture)).Append("],");
            }
        }

        var unitSums = new Dictionary<string, long[]>[unitOf.Count];
        for (var u = 0; u < unitSums.Length; u++)
        {
            unitSums[u] = new Dictionary<string, long[]>(StringComparer.Ordinal);
        }

        // The ranges are unpacked once (MATERIALIZED), and CROSS JOIN keeps them outside: each is one range on the primary key.
        Sql.ForEach(connection, null, $"""
            WITH r (level, first, last) AS MATERIALIZED (
                SELECT CAST(value ->> 0 AS INTEGER), CAST(value ->> 1 AS INTEGER), CAST(value ->> 2 AS INTEGER) FROM json_each($ranges))
            SELECT a.level, a.slot, a.model, {string.Join(", ", CostMigrations.SumColumns.Select(c => "a." + c))}
            FROM r CROSS JOIN api_call_series AS a ON a.level = r.level AND a.slot >= r.first AND a.slot < r.last
            """, [("$ranges", ranges.ToString())], row =>
            {
                var model = row.GetString(2);
                var s = Term.Find(slots, (int)row.GetInt64(0), row.GetInt64(1));
                for (var k = firstTerm[s]; k < firstTerm[s + 1]; k++)
                {
                    var sign = merged[k].Sign;
                    var sum = SumsOf(unitSums[merged[k].Unit], model, row.FieldCount - 3);
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
            foreach (var part in parts[i])
            {
                foreach (var (model, values) in unitSums[part.Unit])
                {
                    var sum = SumsOf(byModel, model, values.Length);
                    for (var v = 0; v < values.Length; v++)
                    {
                        sum[v] = checked(sum[v] + (part.Sign * values[v]));
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

    private static void ReadQuarters(DbConnection connection, ApiCostGroup groupBy, Block block, Action<string, string, long[]> add)
    {
        var columns = string.Join(", ", CostMigrations.SumColumns.Select(c => $"sum({c})"));
        Sql.ForEach(connection, null, $"""
            SELECT {Dimension(groupBy)}, model, {columns} FROM api_call_quarters
            WHERE quarter >= $a AND quarter < $b GROUP BY 1, 2
            """, [("$a", block.Start / Quarter), ("$b", block.End / Quarter)], r => add(r.GetString(0), r.GetString(1), Values(r)));
    }

    private static void ReadRows(DbConnection connection, ApiCostGroup groupBy, RawRange range, Action<string, string, long[]> add)
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

    /// <summary>Lists sign × (calls from the start of t's UTC day up to t) as unit's terms, from whichever side of the day is shorter.</summary>
    private static void DayPrefix(List<Term> terms, int unit, long t, int sign)
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
            Blocks(terms, unit, 1, day * 24, hour, sign);
            Blocks(terms, unit, 2, hour * 4, t / Quarter, sign);
        }
        else
        {
            var hour = (t + Hour - 1) / Hour;
            terms.Add(new Term(0, day, unit, sign));
            Blocks(terms, unit, 1, hour, (day + 1) * 24, -sign);
            Blocks(terms, unit, 2, t / Quarter, hour * 4, -sign);
        }
    }

    private static void Blocks(List<Term> terms, int unit, int level, long from, long to, int sign)
    {
        for (var slot = from; slot < to; slot++)
        {
            terms.Add(new Term(level, slot, unit, sign));
        }
    }

    private static Period? DataRange(Action<Action<DbConnection>> eachDatabase)
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

        return first is null ? null : new Period(null, FromSeconds(first.Value * Day), FromSeconds((last!.Value + 1) * Day));
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
        public void Add(long[] v, decimal known, long unpriced)
        {
            checked
            {
                Calls += v[0];
                Input += v[1];
                Output += v[2];
                CacheRead += v[3];
                CacheWrite += v[4];
                CacheWrite1h += v[11];
                Known += known;
                Unpriced += unpriced;
            }
        }
    }

    /// <summary>A report period: its label (null when ungrouped or for the data's range) and its bounds.</summary>
    private sealed record Period(string? Label, DateTimeOffset Start, DateTimeOffset End);

    /// <summary>A period's quarter-aligned part (unix seconds), read from the aggregates.</summary>
    private sealed record Block(int Period, long Start, long End);

    /// <summary>A period's part not aligned to a quarter hour, read from api_calls.</summary>
    private sealed record RawRange(int Period, DateTimeOffset Start, DateTimeOffset End);

    /// <summary>A block counts a unit's sums with a sign.</summary>
    private sealed record Part(int Unit, int Sign);

    private sealed record UnitIndex(int Value);

    /// <summary>An aggregate row (level and slot of api_call_series) counted in a unit with a sign.</summary>
    private sealed record Term(int Level, long Slot, int Unit, int Sign)
    {
        /// <summary>By level, slot and unit.</summary>
        public static int Order(Term a, Term b) =>
            a.Level != b.Level ? a.Level.CompareTo(b.Level) : a.Slot != b.Slot ? a.Slot.CompareTo(b.Slot) : a.Unit.CompareTo(b.Unit);

        /// <summary>The index of the slot in <paramref name="slots"/> (distinct, in <see cref="Order"/>).</summary>
        public static int Find(List<Term> slots, int level, long slot)
        {
            int low = 0, high = slots.Count - 1;
            while (low <= high)
            {
                var middle = low + ((high - low) / 2);
                var at = slots[middle];
                var order = at.Level != level ? at.Level.CompareTo(level) : at.Slot.CompareTo(slot);
                if (order == 0)
                {
                    return middle;
                }

                if (order < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            throw new InvalidOperationException($"The aggregates returned the slot {slot} of level {level}, which the report did not ask for.");
        }
    }
}
