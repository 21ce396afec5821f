using System.Globalization;
using System.Management.Automation;
using LogTools.Tests.Support;

namespace LogTools.Tests.Sessions;

/// <summary>
/// The seed scenario: one session with two tasks and three workers, twenty API calls over yesterday and
/// today (local calendar), recorded through Add-ApiCall and reported through Get-ApiCost.
/// </summary>
public sealed class ApiCostCmdletTests
{
    // Hand-copied list prices (USD per million tokens): claude-sonnet-4 3 / 15 / 0.30 / 3.75; gpt-4.1 2 / 8 / 0.50 / 0.
    private static readonly Dictionary<string, decimal[]> Prices = new()
    {
        ["claude-sonnet-4-20250514"] = [3m, 15m, 0.30m, 3.75m],
        ["gpt-4.1"] = [2m, 8m, 0.50m, 0m],
    };

    private sealed record Call(DateTimeOffset At, string Model, long In, long Out, long Read, long Write, string Worker, string Machine, decimal? Cost)
    {
        public decimal Usd => Cost ?? (In * Prices[Model][0] + Out * Prices[Model][1] + Read * Prices[Model][2] + Write * Prices[Model][3]) / 1_000_000m;
    }

    private static object? P(PSObject o, string name) => o.Properties[name].Value;

    /// <summary>
    /// Runs SQL through the module's own engine and SQLite: a second SQLite library in this process (the
    /// test's) must not open the store's files, since closing its handle would drop our library's POSIX locks.
    /// </summary>
    private static void Sql(ModuleSession session, string sql) => session.Run("""
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'LogTools.Engine' }
        $store = $engine.GetType('LogTools.Engine.Store.LogStore')::Open($args[0])
        $sql = $args[1]
        $store.Database.Write([Action[System.Data.Common.DbConnection, System.Data.Common.DbTransaction]] {
            param($connection, $transaction)
            $command = $connection.CreateCommand()
            $command.Transaction = $transaction
            $command.CommandText = $sql
            [void]$command.ExecuteNonQuery()
        }.GetNewClosure())
        """, session.StorePath, sql).AssertNoErrors();

    /// <summary>Creates the session, tasks and workers (plain SQL: their cmdlets live elsewhere) and adds the twenty calls.</summary>
    private static List<Call> Seed(ModuleSession session)
    {
        session.Run("Get-LogStore | Out-Null").AssertNoErrors();
        Sql(session, """
            INSERT INTO sessions (session_id, started_at, host, user_name) VALUES ('s1', '2025-01-01T00:00:00.000Z', 'h', 'u');
            INSERT INTO tasks (task_id, session_id, detected_at, status) VALUES ('t1', 's1', '2025-01-01T00:00:00.000Z', 'active'), ('t2', 's1', '2025-01-01T00:00:00.000Z', 'active');
            INSERT INTO workers (worker_id, session_id, task_id, spawned_at, status) VALUES
              ('w1', 's1', 't1', '2025-01-01T00:00:00.000Z', 'spawned'), ('w2', 's1', 't1', '2025-01-01T00:00:00.000Z', 'spawned'), ('w3', 's1', 't2', '2025-01-01T00:00:00.000Z', 'spawned');
            """);
        var now = DateTimeOffset.Now;
        var midnight = new DateTimeOffset(now.Date, TimeZoneInfo.Local.GetUtcOffset(now.Date));
        var today = midnight + (now - midnight) / 2;
        var yesterday = midnight.AddHours(-12);
        string[] workers = ["w1", "w2", "w3"];
        var calls = Enumerable.Range(0, 20).Select(i => new Call(
            (i < 10 ? today : yesterday).AddSeconds(i),
            i % 3 == 0 ? "gpt-4.1" : "claude-sonnet-4-20250514",
            1000 + i * 137, 200 + i * 11, 5000 + i * 1009, i % 3 == 0 ? 0 : 300 + i,
            workers[i % 3], i % 2 == 0 ? "m1" : "m2", i == 4 ? 0.5m : null)).ToList();
        var objects = calls.Select(c => new System.Collections.Hashtable
        {
            ["timestamp"] = c.At.ToString("o", CultureInfo.InvariantCulture), ["model"] = c.Model, ["input_tokens"] = c.In.ToString(CultureInfo.InvariantCulture),
            ["output_tokens"] = c.Out, ["cache_read_input_tokens"] = c.Read, ["cache_creation_input_tokens"] = c.Write, ["worker_id"] = c.Worker,
            ["machine"] = c.Machine, ["cost_usd"] = c.Cost?.ToString(CultureInfo.InvariantCulture) ?? "",
        }).ToArray<object>();
        // Hashtables as [pscustomobject], as a script or Import-Csv would produce them (strings included).
        session.Run("$args | ForEach-Object { [pscustomobject]$_ } | Add-ApiCall", objects).AssertNoErrors();
        return calls;
    }

    [Fact]
    public void Today_and_every_grouping_equal_the_hand_computed_sums()
    {
        using var session = new ModuleSession();
        var calls = Seed(session);
        var todays = calls.Take(10).ToList();

        var today = session.Run("Get-ApiCost -Today").AssertNoErrors().Output.Single();
        Assert.Equal("LogTools.Engine.Sessions.ApiCostRow", today.TypeNames[0]);
        Assert.Equal(10L, P(today, "Calls"));
        Assert.Equal(todays.Sum(c => c.In), P(today, "InputTokens"));
        Assert.Equal(todays.Sum(c => c.In + c.Out + c.Read + c.Write), P(today, "TotalTokens"));
        Assert.Equal(todays.Sum(c => c.Usd), P(today, "CostUsd"));

        var since = DateTime.Today.AddDays(-1);
        foreach (var (group, key) in new (string, Func<Call, string>)[]
        {
            ("Model", c => c.Model), ("Worker", c => c.Worker), ("Task", c => c.Worker == "w3" ? "t2" : "t1"),
            ("Session", _ => "s1"), ("Machine", c => c.Machine), ("Day", c => c.At.LocalDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        })
        {
            var rows = session.Run($"Get-ApiCost -Since $args[0] -GroupBy {group}", since).AssertNoErrors().Output;
            var expected = calls.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, (long)g.Count(), g.Sum(c => c.Usd), g.Sum(c => c.Out)));
            Assert.Equal(expected, rows.Select(r => ((string)P(r, "Key")!, (long)P(r, "Calls")!, (decimal)P(r, "CostUsd")!, (long)P(r, "OutputTokens")!)));
        }
    }

    [Fact]
    public void An_unpriced_model_has_no_cost_one_warning_and_a_count()
    {
        using var session = new ModuleSession();
        var add = session.Run("1..3 | ForEach-Object { [pscustomobject]@{ Model = 'acme-llm-9'; InputTokens = 100 } } | Add-ApiCall; Add-ApiCall -Model gpt-4.1 -InputTokens 1000000").AssertNoErrors();
        Assert.Single(add.Warnings);
        Assert.Contains("acme-llm-9", add.Warnings[0].Message);

        var result = session.Run("Get-ApiCost -Today").AssertNoErrors();
        var byModel = session.Run("Get-ApiCost -Today -GroupBy Model").AssertNoErrors();

        Assert.Single(result.Warnings);
        Assert.Single(byModel.Warnings);
        var total = result.Output.Single();
        Assert.Null(P(total, "CostUsd"));
        Assert.Equal(2m, P(total, "KnownCostUsd"));
        Assert.Equal(3L, P(total, "UnpricedCalls"));
        Assert.Equal([null, 2m], byModel.Output.Select(r => (decimal?)P(r, "CostUsd")));
    }

    [Fact]
    public void Bad_calls_are_errors_naming_the_value_and_the_others_are_stored()
    {
        using var session = new ModuleSession();
        var future = DateTimeOffset.Now.AddHours(2).ToString("o", CultureInfo.InvariantCulture);
        var result = session.Run("""
            @(
              [pscustomobject]@{ Model = 'gpt-4.1'; InputTokens = 10 }
              [pscustomobject]@{ Model = 'gpt-4.1'; InputTokens = -5 }
              [pscustomobject]@{ Model = 'gpt-4.1'; Timestamp = $args[0] }
              [pscustomobject]@{ Model = 'gpt-4.1'; Timestamp = 'last tuesday' }
              [pscustomobject]@{ Model = 'gpt-4.1'; WorkerId = 'no-such-worker' }
              [pscustomobject]@{ Model = 'gpt-4.1'; SessionId = 'no-such-session' }
              [pscustomobject]@{ Model = 'gpt-4.1'; CostUsd = 'cheap' }
              [pscustomobject]@{ Model = 'gpt-4.1'; InputTokens = 20 }
            ) | Add-ApiCall -PassThru
            """, future);

        Assert.Equal(
            [("InvalidTokenCount", (object)-5L), ("ApiCallTimestampInvalid", "last tuesday"), ("ApiCallWorkerNotFound", "no-such-worker"),
             ("ApiCallSessionNotFound", "no-such-session"), ("ApiCallCostInvalid", "cheap")],
            result.Errors.Where(e => !e.FullyQualifiedErrorId.StartsWith("TimestampOutOfRange")).Select(e => (e.FullyQualifiedErrorId.Split(',')[0], e.TargetObject)));
        var futureError = Assert.Single(result.Errors, e => e.FullyQualifiedErrorId.StartsWith("TimestampOutOfRange"));
        Assert.Equal(ErrorCategory.InvalidArgument, futureError.CategoryInfo.Category);
        Assert.Equal([10L, 20L], result.Output.Select(o => (long)P(o, "InputTokens")!));
        Assert.Equal(2L, P(session.Run("Get-ApiCost").AssertNoErrors().Output.Single(), "Calls"));
    }

    [Fact]
    public void WhatIf_stores_nothing()
    {
        using var session = new ModuleSession();
        session.Run("1..5 | ForEach-Object { [pscustomobject]@{ Model = 'gpt-4.1'; InputTokens = $_ } } | Add-ApiCall -WhatIf").AssertNoErrors();
        Assert.Equal(0L, P(session.Run("Get-ApiCost").AssertNoErrors().Output.Single(), "Calls"));
    }

    [Fact]
    public void PassThru_objects_bind_back_by_property_name_and_duplicates_are_ignored()
    {
        using var session = new ModuleSession();
        var first = session.Run("Add-ApiCall -Model claude-sonnet-4-5 -InputTokens 1000 -OutputTokens 10 -RequestId r1 -MessageId m1 -DurationMs 250 -Success $false -PassThru").AssertNoErrors();
        var call = first.Output.Single();
        Assert.Equal(1L, P(call, "CallId"));
        Assert.Equal((1000 * 3m + 10 * 15m) / 1_000_000m, P(call, "EstimatedCostUsd"));

        // Same message and request: the one de-duplication rule ignores it; the object still binds into another store.
        var again = session.Run("Add-ApiCall -Model claude-sonnet-4-5 -InputTokens 1000 -OutputTokens 10 -RequestId r1 -MessageId m1 -PassThru").AssertNoErrors();
        Assert.Null(P(again.Output.Single(), "CallId"));
        Assert.Equal(1L, P(session.Run("Get-ApiCost").AssertNoErrors().Output.Single(), "Calls"));

        var copied = session.Run("$args[0] | Add-ApiCall -Store $args[1] -PassThru", call, session.Folder.Combine("other")).AssertNoErrors().Output.Single();
        Assert.Equal((1L, "claude-sonnet-4-5", 1000L, false, 250L, "r1"),
            ((long)P(copied, "CallId")!, (string)P(copied, "Model")!, (long)P(copied, "InputTokens")!, (bool)P(copied, "Success")!, (long)P(copied, "DurationMs")!, (string)P(copied, "RequestId")!));
    }

    [Fact]
    public void Bad_group_time_zone_window_and_price_file_are_clear_errors()
    {
        using var session = new ModuleSession();
        var badPrices = session.Folder.Combine("prices.json");
        File.WriteAllText(badPrices, """{ "models": [ { "model": "x" } ] }""");

        Assert.Contains("Hour", session.Run("Get-ApiCost -GroupBy Hour").SingleError().ToString());
        var zone = session.Run("Get-ApiCost -Today -TimeZone Mars/Olympus").SingleError();
        Assert.Equal(("TimeZoneNotFound,LogTools.Commands.GetApiCostCommand", (object)"Mars/Olympus"), (zone.FullyQualifiedErrorId, zone.TargetObject));
        Assert.StartsWith("InvalidTimeWindow,", session.Run("Get-ApiCost -Last soon").SingleError().FullyQualifiedErrorId);
        var prices = session.Run("Get-ApiCost -PriceFile $args[0]", badPrices).SingleError();
        Assert.Equal(("PriceFileInvalid,LogTools.Commands.GetApiCostCommand", (object)badPrices), (prices.FullyQualifiedErrorId, prices.TargetObject));
        Assert.StartsWith("PriceFileInvalid,", session.Run("Add-ApiCall -Model gpt-4.1 -PriceFile $args[0]", badPrices).SingleError().FullyQualifiedErrorId);
        Assert.Equal(0L, P(session.Run("Get-ApiCost").AssertNoErrors().Output.Single(), "Calls"));
    }

    [Fact]
    public void Get_ApiPrice_resolves_model_ids_and_a_price_file_overrides_them()
    {
        using var session = new ModuleSession();
        var prices = session.Folder.Combine("prices.json");
        File.WriteAllText(prices, """{ "models": [ { "model": "acme-llm-9", "prices": [ { "validFrom": "2025-01-01", "input": 1, "output": 2, "cacheRead": 0, "cacheWrite": 0 } ] } ] }""");

        var sonnet = session.Run("Get-ApiPrice -Model claude-sonnet-4-20250514").AssertNoErrors().Output.Single();
        Assert.Equal(("claude-sonnet-4", 3m, 15m), ((string)P(sonnet, "Model")!, (decimal)P(sonnet, "InputPerMTok")!, (decimal)P(sonnet, "OutputPerMTok")!));
        Assert.Equal("ModelNotPriced,LogTools.Commands.GetApiPriceCommand", session.Run("Get-ApiPrice acme-llm-9").SingleError().FullyQualifiedErrorId);

        session.Run("Add-ApiCall -Model acme-llm-9 -InputTokens 1000000 -OutputTokens 1000000 -PriceFile $args[0]", prices).AssertNoErrors();
        var cost = session.Run("Get-ApiCost -Today -PriceFile $args[0]", prices).AssertNoErrors();
        Assert.Empty(cost.Warnings);
        Assert.Equal(3m, P(cost.Output.Single(), "CostUsd"));
        Assert.Contains(session.Run("Get-ApiPrice").AssertNoErrors().Output, p => (string)P(p, "Model")! == "o3");
    }

    [Fact]
    public void Budgets_say_exceeded_in_objects_in_Quiet_and_as_an_error()
    {
        using var session = new ModuleSession();
        session.Run("Add-ApiCall -Model gpt-4.1 -InputTokens 1000000 -OutputTokens 1000000").AssertNoErrors(); // 10 USD

        var status = session.Run("Test-ApiBudget -Limit 20 -Period Day").AssertNoErrors().Output.Single();
        Assert.Equal((10m, 20m, 10m, false), ((decimal)P(status, "Spent")!, (decimal)P(status, "Limit")!, (decimal)P(status, "Remaining")!, (bool)P(status, "Exceeded")!));
        Assert.Equal([true, false], session.Run("Test-ApiBudget 20 -Quiet; Test-ApiBudget 5 Month -Quiet").AssertNoErrors().Objects);
        var over = session.Run("Test-ApiBudget -Limit 5 -ErrorOnExceeded");
        Assert.Equal("BudgetExceeded,LogTools.Commands.TestApiBudgetCommand", over.SingleError().FullyQualifiedErrorId);
        Assert.True((bool)P(over.Output.Single(), "Exceeded")!);
    }

    [Fact]
    public void Moving_old_records_keeps_the_totals_with_IncludeArchive_and_WhatIf_moves_nothing()
    {
        using var session = new ModuleSession();
        Seed(session);
        session.Run("""
            $old = [datetime]::UtcNow.AddDays(-200)
            0..29 | ForEach-Object { [pscustomobject]@{ Model = 'gpt-4.1'; InputTokens = 1000 * $_; Timestamp = $old.AddDays($_ * 2) } } | Add-ApiCall
            """).AssertNoErrors();
        const string totals = "Get-ApiCost -GroupBy Month -IncludeArchive | ForEach-Object { '{0} {1} {2} {3}' -f $_.Key, $_.Calls, $_.TotalTokens, $_.CostUsd }";
        var before = session.Run(totals).AssertNoErrors().Objects.ToList();

        var plan = session.Run("Move-LogRecord -OlderThan 90 -WhatIf").AssertNoErrors().Output;
        Assert.Equal(30L, plan.Where(c => (string)P(c, "Table")! == "api_calls").Sum(c => (long)P(c, "Rows")!));
        Assert.False(Directory.Exists(Path.Combine(session.StorePath, "archive")));
        Assert.Equal(50L, P(session.Run("Get-ApiCost").AssertNoErrors().Output.Single(), "Calls"));

        var moved = session.Run("Move-LogRecord -OlderThan 90 -Confirm:$false").AssertNoErrors().Output;
        Assert.Equal(plan.Select(c => (P(c, "Month"), P(c, "Table"), P(c, "Rows"))), moved.Select(c => (P(c, "Month"), P(c, "Table"), P(c, "Rows"))));
        Assert.Equal(20L, P(session.Run("Get-ApiCost").AssertNoErrors().Output.Single(), "Calls"));
        Assert.Equal(before, session.Run(totals).AssertNoErrors().Objects);
    }
}
