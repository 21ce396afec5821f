using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Engine.Tests.Journal;

namespace LogTools.Engine.Tests.Sessions;

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
        var store = LogStore.Open(_temp.File("store"));
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
        Assert.Equal("TimestampInFuture", Assert.Throws<LogToolsException>(() => TelemetryTime.Check(now.AddMinutes(6), now, "event timestamp")).ErrorId);
    }

    private sealed class FixedClock(DateTimeOffset now, TimeZoneInfo zone) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => zone;
    }
}
