using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Sessions;

[Trait("Category", TestBackend.Category)]
public sealed class TelemetryTimeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("24h", 86400)]
    [InlineData("7d", 604800)]
    [InlineData("1.5h", 5400)]
    [InlineData("01:30:00", 5400)]
    [InlineData("1.00:00:00", 86400)]
    public void Time_windows_parse_as_admins_type_them(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TimeWindow.Parse(text));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("0h")]
    [InlineData("-5m")]
    [InlineData("")]
    public void Other_windows_are_refused(string text) =>
        Assert.Equal("InvalidTimeWindow", Assert.Throws<LogToolsException>(() => TimeWindow.Parse(text)).ErrorId);

    [Fact]
    public void Completed_today_follows_the_local_calendar_not_UTC()
    {
        // Local zone UTC+10; now is 01:00 local on the 15th (15:00 UTC on the 14th).
        var clock = new FixedClock(new DateTimeOffset(2025, 1, 14, 15, 0, 0, TimeSpan.Zero), TimeZoneInfo.CreateCustomTimeZone("plus10", TimeSpan.FromHours(10), "plus10", "plus10"));
        var store = TestBackend.Open(_temp.Combine("store"));
        new SessionLedger(store, clock).Start("s", _temp.Path, null);
        var tasks = new TaskLedger(store, clock);
        foreach (var (id, completedUtc) in new[] { ("yesterday-local", 13), ("today-local", 14) })
        {
            tasks.Set(new TaskChange { TaskId = id, Status = LogTaskStatus.Active, SessionId = "s", Timestamp = new DateTimeOffset(2025, 1, 14, 12, 0, 0, TimeSpan.Zero) });
            tasks.Set(new TaskChange { TaskId = id, Status = LogTaskStatus.Completed, Timestamp = new DateTimeOffset(2025, 1, 14, completedUtc, 30, 0, TimeSpan.Zero) });
        }

        var today = new List<LogTask>();
        tasks.Find(new TaskQuery { Today = true }, today.Add);

        var task = Assert.Single(today);
        Assert.Equal("today-local", task.TaskId);
        Assert.Equal(TimeSpan.FromMinutes(150), task.Duration);
    }

    [Fact]
    public void A_time_beyond_the_skew_allowance_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(now.AddMinutes(4), TelemetryTime.Check(now.AddMinutes(4), now, "event timestamp"));
        Assert.Equal(now, TelemetryTime.Check(null, now, "event timestamp"));
        Assert.Equal("TimestampOutOfRange", Assert.Throws<LogToolsException>(() => TelemetryTime.Check(now.AddMinutes(6), now, "event timestamp")).ErrorId);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("1999-12-31T23:59:59.999Z")]
    public void A_time_before_2000_is_refused_with_the_same_id(string text)
    {
        var error = Assert.Throws<LogToolsException>(() => TelemetryTime.Check(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow, "call's timestamp"));
        Assert.Equal(("TimestampOutOfRange", ErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
        Assert.Contains("before 2000-01-01", error.Message, StringComparison.Ordinal);
        Assert.Equal(TelemetryTime.Earliest, TelemetryTime.Check(TelemetryTime.Earliest, DateTimeOffset.UtcNow, "x"));
    }

    [Fact]
    public void A_zero_date_east_of_utc_becomes_a_refused_time_not_a_raw_exception()
    {
        var plus10 = TimeZoneInfo.CreateCustomTimeZone("plus10", TimeSpan.FromHours(10), "plus10", "plus10");
        Assert.Equal(DateTimeOffset.MinValue, TimeWindow.InZone(DateTime.MinValue, plus10));
        Assert.Equal(DateTimeOffset.MaxValue, TimeWindow.InZone(DateTime.MaxValue, TimeZoneInfo.CreateCustomTimeZone("minus5", TimeSpan.FromHours(-5), "minus5", "minus5")));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(10)), TimeWindow.InZone(new DateTime(2025, 1, 1), plus10));
        Assert.Equal("TimestampOutOfRange", Assert.Throws<LogToolsException>(() => TelemetryTime.Check(TimeWindow.InZone(DateTime.MinValue, plus10), DateTimeOffset.UtcNow, "x")).ErrorId);
    }

    [Fact]
    public void Api_calls_and_events_share_the_plausible_range()
    {
        var call = new ApiCall { Model = "gpt-4o", Timestamp = DateTimeOffset.MinValue };
        Assert.Equal("TimestampOutOfRange", Assert.Throws<LogToolsException>(() => ApiCallStore.Validate(call)).ErrorId);
        var future = new ApiCall { Model = "gpt-4o", Timestamp = DateTimeOffset.UtcNow + TelemetryTime.FutureAllowance + TimeSpan.FromMinutes(1) };
        Assert.Equal("TimestampOutOfRange", Assert.Throws<LogToolsException>(() => ApiCallStore.Validate(future)).ErrorId);
        var store = TestBackend.Open(_temp.Combine("store"));
        new SessionLedger(store).Start("s", _temp.Path, null);
        var error = Assert.Throws<LogToolsException>(() => new EventLedger(store).Write(new NewLogEvent { SessionId = "s", Type = "note", Message = "m", Timestamp = new DateTimeOffset(1999, 1, 1, 0, 0, 0, TimeSpan.Zero) }));
        Assert.Equal("TimestampOutOfRange", error.ErrorId);
    }

    [Fact]
    public void A_window_that_ends_before_it_starts_is_refused_by_every_query()
    {
        var since = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var until = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal("InvalidTimeWindow", Assert.Throws<LogToolsException>(() => TimeWindow.Between(since, until)).ErrorId);
        Assert.Equal((since, (DateTimeOffset?)since), TimeWindow.Between(since, since));
        Assert.Equal((since, (DateTimeOffset?)null), TimeWindow.Between(since, null));
        var store = TestBackend.Open(_temp.Combine("store"));
        Assert.Equal("InvalidTimeWindow", Assert.Throws<LogToolsException>(() => new ApiCostReport(store, PriceTable.Embedded).Run(since, until, ApiCostGroup.None, TimeZoneInfo.Utc)).ErrorId);
        Assert.Equal("InvalidTimeWindow", Assert.Throws<LogToolsException>(() => new EventLedger(store).Find(new EventQuery { Since = since, Until = until }, _ => { })).ErrorId);
        Assert.Equal("InvalidTimeWindow", Assert.Throws<LogToolsException>(() => new SessionLedger(store).Find(null, false, false, since, until, _ => { })).ErrorId);
        Assert.Equal("InvalidTimeWindow", Assert.Throws<LogToolsException>(() =>
            TimeWindow.Resolve(false, null, new DateTime(2026, 12, 1), new DateTime(2026, 11, 1), TimeZoneInfo.Utc, DateTimeOffset.UtcNow)).ErrorId);
    }

    [Fact]
    public void The_cost_window_is_computed_in_the_engine_from_today_last_or_a_range()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus10", TimeSpan.FromHours(10), "plus10", "plus10");
        var now = new DateTimeOffset(2025, 1, 14, 15, 0, 0, TimeSpan.Zero); // 01:00 on the 15th in the zone
        var (start, end) = TimeWindow.Resolve(true, null, null, null, zone, now);
        Assert.Equal((new DateTimeOffset(2025, 1, 14, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 1, 15, 14, 0, 0, TimeSpan.Zero)), (start!.Value, end!.Value));
        Assert.Equal(((DateTimeOffset?)now.AddMinutes(-90), (DateTimeOffset?)now), TimeWindow.Resolve(false, "90m", null, null, zone, now));
        Assert.Equal(((DateTimeOffset?)new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(10)), (DateTimeOffset?)null),
            TimeWindow.Resolve(false, null, new DateTime(2025, 1, 1), null, zone, now));
    }

    private sealed class FixedClock(DateTimeOffset now, TimeZoneInfo zone) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => zone;
    }
}
